// Whatever sizes the kernel's reads come in, the records and the scan text come out the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EV_KEY, INPUT_EVENT_SIZE, InputEventFramer, decodeInputEvent, encodeInputEvent } from '../../../device/scanners/input-event.ts';
import { KeyScanAssembler } from '../../../device/scanners/key-scan-assembler.ts';
import { encodeKeystrokes } from '../../../device/scanners/wedge-simulator.ts';

const US_PRINTABLE = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'), maxLength: 40 });

/** Splits bytes at the given cut points. */
function chunks(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    out.push(bytes.slice(start, point));
    start = point;
  }
  return out;
}

describe('input_event framing', () => {
  it('encodes and decodes a record field by field', () => {
    const record = encodeInputEvent({ seconds: 1_700_000_000, microseconds: 123_456, type: EV_KEY, code: 42, value: -1 });
    expect(record.length).toBe(INPUT_EVENT_SIZE);
    expect(decodeInputEvent(record)).toMatchObject({ seconds: 1_700_000_000, microseconds: 123_456, type: EV_KEY, code: 42, value: -1 });
  });

  it('decodes typed text back to the same text however the stream is cut', () => {
    fc.assert(fc.property(fc.array(US_PRINTABLE, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 30 }), (texts, cuts) => {
      const bytes = Uint8Array.from(texts.flatMap((text) => [...encodeKeystrokes(text)]));
      const framer = new InputEventFramer();
      const assembler = new KeyScanAssembler();
      const decoded: string[] = [];
      for (const chunk of chunks(bytes, cuts)) {
        for (const event of framer.push(chunk)) {
          if (event.type !== EV_KEY) continue;
          const scan = assembler.key(event.code, event.value, event.raw);
          if (scan) decoded.push(scan.text);
        }
      }
      expect(decoded).toEqual(texts);
    }));
  });
});
