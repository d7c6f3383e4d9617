import { describe, expect, it } from 'vitest';
import { BootKeyboardDecoder, PosScanJoiner, parsePosScanReport, symbologyName } from '../../../device/scanners/hid-reports.ts';
import { KeyScanAssembler } from '../../../device/scanners/key-scan-assembler.ts';
import { KEY } from '../../../device/scanners/keymap.ts';

/** A 64-byte Scanned Data Report as hidraw delivers it (report id first). */
function posReport(data: string | Uint8Array, options: { aim?: string; more?: boolean; declared?: number } = {}): Uint8Array {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const report = new Uint8Array(64);
  report[0] = 0x02;
  report[1] = options.declared ?? bytes.length;
  report.set(new TextEncoder().encode(options.aim ?? ']C0'), 2);
  report.set(bytes.subarray(0, 56), 5);
  report[61] = 0x6a; // Honeywell's own id for Code 128: present, and ignored
  report[63] = options.more ? 0x01 : 0x00;
  return report;
}

describe('HID POS scanned data report', () => {
  it('parses a one-report barcode: text, AIM symbology and raw bytes', () => {
    const report = posReport('LT-00042');
    expect(parsePosScanReport(report)).toEqual({ aim: ']C0', data: new TextEncoder().encode('LT-00042'), more: false });
    const scan = new PosScanJoiner().push(report);
    expect(scan).toEqual({ text: 'LT-00042', symbology: 'code-128', raw: report });
  });

  it('joins a 60-byte barcode sent as 56 + 4 bytes with the continued flag (the Access-IS example)', () => {
    const text = 'M1GATHERGOOD/MICHAEL YABCDEF LHRDURAK 3542 052Y003D23  ABCDE';
    expect(text).toHaveLength(60);
    const first = posReport(text.slice(0, 56), { aim: ']Q0', more: true });
    const second = posReport(text.slice(56), { aim: ']Q0' });
    const joiner = new PosScanJoiner();
    expect(joiner.push(first)).toBeNull();
    const scan = joiner.push(second);
    expect(scan?.text).toBe(text);
    expect(scan?.symbology).toBe('qr-code');
    expect(scan?.raw).toEqual(Uint8Array.from([...first, ...second]));
  });

  it('names symbologies from the AIM id, and keeps an id it has no name for', () => {
    expect(symbologyName(']C1')).toBe('gs1-128');
    expect(symbologyName(']E0')).toBe('ean-13');
    expect(symbologyName(']E4')).toBe('ean-8');
    expect(symbologyName(']d2')).toBe('data-matrix');
    expect(symbologyName(']A0')).toBe('code-39');
    expect(symbologyName(']Z9')).toBe(']Z9');
    expect(symbologyName(null)).toBeNull();
    expect(parsePosScanReport(posReport('1', { aim: '\0\0\0' }))?.aim).toBeNull();
  });

  it('removes one trailing CR/LF a scanner may still append', () => {
    expect(new PosScanJoiner().push(posReport('EMP-0101\r\n'))?.text).toBe('EMP-0101');
  });

  it('turns bytes that are not UTF-8 into U+FFFD so intake rejects the scan', () => {
    expect(new PosScanJoiner().push(posReport(Uint8Array.of(0x41, 0xff, 0x42)))?.text).toBe('A\uFFFDB');
  });

  it('clamps a declared length beyond the data field or the report', () => {
    expect(parsePosScanReport(posReport('ABC', { declared: 200 }))?.data.length).toBe(56);
    expect(parsePosScanReport(Uint8Array.of(0x02, 40, 0x5d, 0x43, 0x30, 0x41, 0x42))?.data).toEqual(Uint8Array.of(0x41, 0x42));
  });

  it('ignores reports that are not scanned data', () => {
    const other = posReport('X');
    other[0] = 0x04;
    expect(parsePosScanReport(other)).toBeNull();
    expect(new PosScanJoiner().push(other)).toBeNull();
    expect(parsePosScanReport(Uint8Array.of(0x02, 1))).toBeNull();
  });

  it('cuts a barcode that never stops continuing and marks it unreadable', () => {
    const joiner = new PosScanJoiner(100);
    expect(joiner.push(posReport('A'.repeat(56), { more: true }))).toBeNull();
    expect(joiner.push(posReport('B'.repeat(56), { more: true }))?.text).toBe(`${'A'.repeat(56)}\uFFFD`);
  });
});

/** A boot keyboard report: modifier byte, reserved, six usages. */
function keys(modifiers: number, ...usages: number[]): Uint8Array {
  return Uint8Array.from([modifiers, 0, ...usages, 0, 0, 0, 0, 0, 0].slice(0, 8));
}

function typed(reports: Uint8Array[]): string[] {
  const decoder = new BootKeyboardDecoder();
  const assembler = new KeyScanAssembler();
  return reports.flatMap((report) => decoder.transitions(report).flatMap(({ code, value }) => {
    const scan = assembler.key(code, value);
    return scan ? [scan.text] : [];
  }));
}

const SHIFT = 0x02;
const [A, B, ONE, ENTER, F1] = [0x04, 0x05, 0x1e, 0x28, 0x3a];
const UP = keys(0);

describe('HID boot keyboard report', () => {
  it('reports presses and releases, modifiers included, as Linux key codes', () => {
    const decoder = new BootKeyboardDecoder();
    expect(decoder.transitions(keys(SHIFT, A))).toEqual([{ code: KEY.LEFTSHIFT, value: 1 }, { code: 30, value: 1 }]);
    expect(decoder.transitions(UP)).toEqual([{ code: KEY.LEFTSHIFT, value: 0 }, { code: 30, value: 0 }]);
  });

  it('types a scan with shift and ends it on Enter', () => {
    expect(typed([keys(SHIFT, A), UP, keys(0, B), UP, keys(SHIFT, ONE), UP, keys(0, ENTER), UP])).toEqual(['Ab!']);
  });

  it('does not press a key again that is still held in the next report (rollover)', () => {
    expect(typed([keys(0, A), keys(0, A, B), keys(0, B), UP, keys(0, ENTER), UP])).toEqual(['ab']);
  });

  it('types lower case when shift goes up in the same report a key goes down', () => {
    expect(typed([keys(SHIFT, A), keys(0, B), UP, keys(0, ENTER)])).toEqual(['Ab']);
  });

  it('ignores ErrorRollOver reports instead of releasing everything', () => {
    const decoder = new BootKeyboardDecoder();
    decoder.transitions(keys(0, A));
    expect(decoder.transitions(keys(0, 1, 1, 1, 1, 1, 1))).toEqual([]);
    expect(decoder.transitions(keys(0, A, B))).toEqual([{ code: 48, value: 1 }]);
  });

  it('counts a usage listed twice as one key (found by the property test)', () => {
    const decoder = new BootKeyboardDecoder();
    decoder.transitions(keys(0, A));
    expect(decoder.transitions(keys(0, A, A))).toEqual([]);
    expect(decoder.transitions(UP)).toEqual([{ code: 30, value: 0 }]);
  });

  it('reads a 9-byte report that carries a report id', () => {
    expect(typed([Uint8Array.of(1, ...keys(SHIFT, A)), Uint8Array.of(1, ...UP), Uint8Array.of(1, ...keys(0, ENTER))])).toEqual(['A']);
  });

  it('marks a usage with no character as unreadable', () => {
    expect(typed([keys(0, A), keys(0, F1), UP, keys(0, ENTER)])).toEqual(['a\uFFFD']);
  });
});
