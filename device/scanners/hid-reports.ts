// The two input reports HID barcode scanners send, parsed without I/O so they can be tested byte by byte.
// Every function here takes any bytes at all and never throws: a report is whatever the device sent.
//
// 1. HID POS "Scanned Data Report" (usage page 0x8C Bar Code Scanner, usage 0x12; HID Point of Sale Usage
//    Tables 1.02). The spec names the fields (Symbology Identifier 1-3, Decoded Data, Decode Data
//    Continued); their byte positions come from the report descriptor. We implement the fixed 64-byte
//    layout that Honeywell, Zebra and Access-IS scanners use, as hidraw hands it over (report id first):
//
//      byte 0      report id 0x02
//      byte 1      number of valid data bytes in this report (0..56)
//      bytes 2-4   AIM symbology identifier: ']', code character, modifier (e.g. "]C0" Code 128)
//      bytes 5-60  decoded data, zero padded
//      byte 61     vendor's own symbology id (not used: the AIM id is the portable one)
//      byte 62     reserved
//      byte 63     bit 0: decode data continued (more reports follow for this barcode)
//
// 2. Keyboard boot protocol report (HID 1.11 appendix B), for scanners in keyboard mode read via hidraw:
//    modifier bits, a reserved byte, then up to six HID keyboard usages of the keys down now. A key in
//    the previous report too is still held (rollover), not pressed again.
import { concatBytes } from './input-event.ts';
import { UNREADABLE } from './key-scan-assembler.ts';
import { HID_MODIFIER_KEYS, linuxKeyForHidUsage } from './keymap.ts';

export const POS_SCANNED_DATA_REPORT_ID = 0x02;
const POS_DATA_OFFSET = 5;
const POS_DATA_CAPACITY = 56;
const POS_CONTINUED_BYTE = 63;

export interface PosScanReport {
  /** The AIM symbology identifier ("]C0"), or null when the bytes are not one. */
  aim: string | null;
  /** This report's share of the decoded data. */
  data: Uint8Array;
  /** More reports follow for the same barcode. */
  more: boolean;
}

/** Parses a Scanned Data Report; null for any other report (or one too short to hold the header). */
export function parsePosScanReport(report: Uint8Array): PosScanReport | null {
  if (report[0] !== POS_SCANNED_DATA_REPORT_ID || report.length < POS_DATA_OFFSET) return null;
  const declared = Math.min(report[1] ?? 0, POS_DATA_CAPACITY);
  const data = report.slice(POS_DATA_OFFSET, POS_DATA_OFFSET + declared);
  return { aim: aimIdentifier(report.subarray(2, 5)), data, more: ((report[POS_CONTINUED_BYTE] ?? 0) & 0x01) === 1 };
}

function aimIdentifier(bytes: Uint8Array): string | null {
  const [flag, code, modifier] = bytes;
  const printable = (b: number | undefined) => b !== undefined && b > 0x20 && b < 0x7f;
  if (flag !== 0x5d || !printable(code) || !printable(modifier)) return null;
  return String.fromCharCode(flag, code!, modifier!);
}

/** AIM code characters (ISO/IEC 15424) for the symbologies a custody cage meets. */
const AIM_SYMBOLOGIES: Readonly<Record<string, string>> = {
  A: 'code-39', C: 'code-128', E: 'ean-upc', F: 'codabar', G: 'code-93', H: 'code-11', I: 'interleaved-2-of-5',
  L: 'pdf417', M: 'msi', Q: 'qr-code', U: 'maxicode', d: 'data-matrix', e: 'gs1-databar', z: 'aztec',
};

/** A symbology name for an AIM id ("]C0" → "code-128"); the AIM id itself when we have no name for it. */
export function symbologyName(aim: string | null): string | null {
  if (!aim) return null;
  if (aim === ']C1') return 'gs1-128';
  if (aim === ']E0') return 'ean-13';
  if (aim === ']E4') return 'ean-8';
  return AIM_SYMBOLOGIES[aim.charAt(1)] ?? aim;
}

export interface PosScan {
  /** Decoded as UTF-8 (bytes that are not UTF-8 become U+FFFD), one trailing CR/LF removed. */
  text: string;
  symbology: string | null;
  /** The reports of this barcode as received, concatenated. */
  raw: Uint8Array;
}

/** Joins the reports of one barcode (Decode Data Continued) into a scan. */
export class PosScanJoiner {
  readonly #maxBytes: number;
  #reports: Uint8Array[] = [];
  #data: number[] = [];
  #aim: string | null = null;

  /** maxBytes: a barcode that never stops continuing is cut here and marked unreadable. */
  constructor(maxBytes = 4096) {
    this.#maxBytes = maxBytes;
  }

  /** Returns the finished scan, or null while more reports are due (or the report is not a scan). */
  push(report: Uint8Array): PosScan | null {
    const parsed = parsePosScanReport(report);
    if (!parsed) return null;
    if (this.#reports.length === 0) this.#aim = parsed.aim;
    this.#reports.push(report.slice());
    const overflow = this.#data.length + parsed.data.length > this.#maxBytes;
    if (!overflow) this.#data.push(...parsed.data);
    if (parsed.more && !overflow) return null;

    const text = new TextDecoder('utf-8').decode(Uint8Array.from(this.#data)).replace(/(\r\n|\r|\n)$/, '');
    const scan = { text: overflow ? text + UNREADABLE : text, symbology: symbologyName(this.#aim), raw: concatBytes(this.#reports) };
    this.reset();
    return scan;
  }

  reset(): void {
    this.#reports = [];
    this.#data = [];
    this.#aim = null;
  }
}

export interface KeyTransition {
  /** Linux key code (KEY.UNKNOWN for a usage the US layout has no key for). */
  code: number;
  /** 1 press, 0 release: the values evdev uses, so the same KeyScanAssembler decodes both. */
  value: 0 | 1;
}

const ERROR_ROLL_OVER = 0x01;

/** Turns successive boot keyboard reports into key presses and releases. */
export class BootKeyboardDecoder {
  #modifiers = 0;
  #keys: number[] = [];

  transitions(report: Uint8Array): KeyTransition[] {
    // A 9-byte report is the same layout behind a report id (keyboards in a composite device).
    const body = report.length === 9 ? report.subarray(1) : report;
    // A usage listed twice is one key down, not two.
    const keys = [...new Set(body.subarray(2, 8))].filter((usage) => usage > 0x03 || usage === ERROR_ROLL_OVER);
    // ErrorRollOver: too many keys down to tell which; the keyboard repeats it until fewer are held.
    if (keys.includes(ERROR_ROLL_OVER)) return [];
    const modifiers = body[0] ?? 0;

    const changed: KeyTransition[] = [];
    const modifier = (bit: number, value: 0 | 1) => changed.push({ code: HID_MODIFIER_KEYS[bit]!, value });
    // Releases first, then presses: "shift up, b down" in one report must type 'b', not 'B'.
    for (let bit = 0; bit < 8; bit++) if (this.#modifiers & (1 << bit) && !(modifiers & (1 << bit))) modifier(bit, 0);
    for (const usage of this.#keys) if (!keys.includes(usage)) changed.push({ code: linuxKeyForHidUsage(usage), value: 0 });
    for (let bit = 0; bit < 8; bit++) if (!(this.#modifiers & (1 << bit)) && modifiers & (1 << bit)) modifier(bit, 1);
    for (const usage of keys) if (!this.#keys.includes(usage)) changed.push({ code: linuxKeyForHidUsage(usage), value: 1 });

    this.#modifiers = modifiers;
    this.#keys = keys;
    return changed;
  }

  reset(): void {
    this.#modifiers = 0;
    this.#keys = [];
  }
}
