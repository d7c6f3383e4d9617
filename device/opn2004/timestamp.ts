// The scanner's two time formats: the 6-byte clock fields of get/set clock (ss mm hh DD MM YY) and the
// packed 32-bit timestamp stored with each scan. The scanner has no time zone: the box keeps it on UTC.

/** Wall-clock fields as the scanner holds them; year is the full year (2000 + YY). */
export interface ScannerDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Packed timestamps have 6 bits of year. */
export const PACKED_YEAR_MAX = 2063;
/** The clock fields carry YY as a byte; the RTC counts two digits. */
export const CLOCK_YEAR_MAX = 2099;

export function isValidScannerTime(t: ScannerDateTime, maxYear = CLOCK_YEAR_MAX): boolean {
  if (!Number.isInteger(t.year) || t.year < 2000 || t.year > maxYear) return false;
  if (!inRange(t.month, 1, 12) || !inRange(t.day, 1, 31)) return false;
  if (!inRange(t.hour, 0, 23) || !inRange(t.minute, 0, 59) || !inRange(t.second, 0, 59)) return false;
  // 31 June is not a date: it must survive a round trip through the calendar.
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day));
  return d.getUTCMonth() === t.month - 1 && d.getUTCDate() === t.day;
}

function inRange(n: number, lo: number, hi: number): boolean {
  return Number.isInteger(n) && n >= lo && n <= hi;
}

/** The UTC fields of a host time, whole seconds (the scanner has no finer resolution). */
export function scannerTimeFromDate(date: Date): ScannerDateTime {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/** The scanner's fields read as UTC. */
export function scannerTimeToDate(t: ScannerDateTime): Date {
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
}

export function packTimestamp(t: ScannerDateTime): number {
  if (!isValidScannerTime(t, PACKED_YEAR_MAX)) throw new RangeError(`cannot pack ${JSON.stringify(t)}`);
  return (
    ((t.second << 26) | (t.minute << 20) | (t.hour << 15) | (t.day << 10) | (t.month << 6) | (t.year - 2000)) >>> 0
  );
}

/** The fields of a packed timestamp, or null when they are no date (month 0, 25 o'clock …). */
export function unpackTimestamp(packed: number): ScannerDateTime | null {
  const t: ScannerDateTime = {
    year: 2000 + (packed & 0x3f),
    month: (packed >>> 6) & 0x0f,
    day: (packed >>> 10) & 0x1f,
    hour: (packed >>> 15) & 0x1f,
    minute: (packed >>> 20) & 0x3f,
    second: (packed >>> 26) & 0x3f,
  };
  return isValidScannerTime(t, PACKED_YEAR_MAX) ? t : null;
}

/** The 6 bytes of set clock / get clock: ss mm hh DD MM YY. */
export function encodeClockFields(t: ScannerDateTime): Uint8Array {
  if (!isValidScannerTime(t)) throw new RangeError(`the scanner clock cannot hold ${JSON.stringify(t)}`);
  return Uint8Array.of(t.second, t.minute, t.hour, t.day, t.month, t.year - 2000);
}

export function decodeClockFields(bytes: Uint8Array): ScannerDateTime | null {
  if (bytes.length !== 6) return null;
  const t: ScannerDateTime = {
    second: bytes[0]!,
    minute: bytes[1]!,
    hour: bytes[2]!,
    day: bytes[3]!,
    month: bytes[4]!,
    year: 2000 + bytes[5]!,
  };
  return isValidScannerTime(t) ? t : null;
}
