// CRC-16 of the OPN-200x protocol: reflected polynomial 0xA001, start 0xFFFF, result inverted, sent high
// byte first. The table makes the 50 kB upload of a full scanner cheap to check.

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    table[n] = crc;
  }
  return table;
}

/** The CRC of bytes[start, end). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return ~crc & 0xffff;
}

/** True when the two bytes at `at` hold the CRC of everything before them. */
export function crcMatches(bytes: Uint8Array, at: number): boolean {
  return at + 2 <= bytes.length && crc16(bytes, 0, at) === ((bytes[at]! << 8) | bytes[at + 1]!);
}
