// Reports come from a device: any bytes at all. The parsers must never throw, and what they build must
// stay within the report.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BootKeyboardDecoder, PosScanJoiner, parsePosScanReport } from '../../../device/scanners/hid-reports.ts';

const anyReport = fc.uint8Array({ maxLength: 80 });
const scanReport = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ minLength: 64, maxLength: 64 })).map(([length, body]) => {
  const report = Uint8Array.from(body);
  report[0] = 0x02;
  report[1] = length;
  return report;
});

describe('HID report parsers on random bytes', () => {
  it('parsePosScanReport never throws and never reads past the report or the 56-byte data field', () => {
    fc.assert(fc.property(fc.oneof(anyReport, scanReport), (report) => {
      const parsed = parsePosScanReport(report);
      if (parsed) expect(parsed.data.length).toBeLessThanOrEqual(Math.min(56, report.length - 5));
    }), { numRuns: 2000 });
  });

  it('PosScanJoiner never throws on any sequence of reports', () => {
    fc.assert(fc.property(fc.array(fc.oneof(anyReport, scanReport), { maxLength: 20 }), (reports) => {
      const joiner = new PosScanJoiner(300);
      for (const report of reports) {
        const scan = joiner.push(report);
        if (scan) expect(typeof scan.text).toBe('string');
      }
    }));
  });

  it('BootKeyboardDecoder never throws, and every key it releases was pressed before', () => {
    fc.assert(fc.property(fc.array(anyReport, { maxLength: 30 }), (reports) => {
      const decoder = new BootKeyboardDecoder();
      const down = new Map<number, number>();
      for (const report of reports) {
        for (const { code, value } of decoder.transitions(report)) {
          const count = down.get(code) ?? 0;
          if (value === 0) expect(count).toBeGreaterThan(0);
          down.set(code, count + (value === 1 ? 1 : -1));
        }
      }
    }), { numRuns: 3000 });
  });

  it('joins printable text split into 56-byte continued reports back into the same text', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 300, unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) }), (text) => {
      const bytes = new TextEncoder().encode(text);
      const joiner = new PosScanJoiner();
      let scan = null;
      for (let offset = 0; offset < bytes.length; offset += 56) {
        const report = new Uint8Array(64);
        const part = bytes.subarray(offset, offset + 56);
        report.set([0x02, part.length, 0x5d, 0x43, 0x30]);
        report.set(part, 5);
        report[63] = offset + 56 < bytes.length ? 1 : 0;
        scan = joiner.push(report);
      }
      expect(scan?.text).toBe(text);
    }));
  });
});
