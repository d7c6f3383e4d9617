// Fuzzing the codec: random and mutated byte streams never throw out of the parsers, and whatever a parser
// accepts is exactly a well-formed, CRC-checked encoding; encode → decode round-trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crcMatches } from '../../../device/opn2004/crc.ts';
import { MAX_PAYLOAD, buildFrame, readFrame, toHex } from '../../../device/opn2004/frame.ts';
import {
  decodeClockFields,
  encodeClockFields,
  packTimestamp,
  scannerTimeFromDate,
  scannerTimeToDate,
  unpackTimestamp,
} from '../../../device/opn2004/timestamp.ts';
import { MAX_BARCODE_BYTES, UploadParser, encodeUpload, parseUpload, type UploadRead } from '../../../device/opn2004/upload.ts';
import { mutate, mutationArb, split, splitsArb } from './support/mutate.ts';
import { ORDINARY_FRAMES, UPLOAD_VECTOR } from './support/vectors.ts';

const RUNS = { numRuns: 500 };

function feedAll(chunks: readonly Uint8Array[]): UploadRead {
  const parser = new UploadParser();
  let read: UploadRead = { state: 'need-more', scans: 0, bytes: 0 };
  for (const chunk of chunks) read = parser.feed(chunk);
  return read.state === 'need-more' ? parser.end() : read;
}

/** Whatever the upload parser accepts must be the canonical encoding of the records it returns. */
function expectAcceptedIsWellFormed(bytes: Uint8Array, read: UploadRead): void {
  if (read.state !== 'complete') return;
  expect(crcMatches(bytes, read.reply.length - 2)).toBe(true);
  expect(toHex(encodeUpload(read.reply.deviceId, read.reply.scans))).toBe(toHex(bytes.subarray(0, read.reply.length)));
}

/** Whatever the frame reader accepts must be a frame with a matching CRC that re-encodes to the same bytes. */
function expectFrameIsWellFormed(bytes: Uint8Array): void {
  const read = readFrame(bytes);
  if (read.kind !== 'frame') return;
  expect(crcMatches(bytes, read.length - 2)).toBe(true);
  const rebuilt = buildFrame(read.frame.code, read.frame.payload);
  rebuilt[2] = bytes[2]!; // the reader tolerates the 3 unused high bits of the length byte; the CRC covers them
  expect(toHex(rebuilt.subarray(0, rebuilt.length - 2))).toBe(toHex(bytes.subarray(0, read.length - 2)));
}

const scanArb = fc.record({
  symbologyId: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: MAX_BARCODE_BYTES }),
  time: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2063-12-31T23:59:59Z'), noInvalidDate: true }),
});
const deviceIdArb = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16, maxLength: 16 }).map((d) => d.join(''));

describe('upload parser under fuzz', () => {
  it('random bytes in random reads never throw; anything accepted is well formed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), splitsArb, (bytes, sizes) => {
        const read = feedAll(split(bytes, sizes));
        expectAcceptedIsWellFormed(bytes, read);
      }),
      RUNS,
    );
  });

  it('random records behind a valid header never come out unless the CRC matches', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (body) => {
        const bytes = new Uint8Array(10 + body.length);
        bytes.set(UPLOAD_VECTOR.subarray(0, 10));
        bytes.set(body, 10);
        expectAcceptedIsWellFormed(bytes, parseUpload(bytes));
      }),
      RUNS,
    );
  });

  it('mutations of the known-answer upload: never a throw, never records from a damaged stream', () => {
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), splitsArb, (mutations, sizes) => {
        const bytes = mutate(UPLOAD_VECTOR, mutations);
        const whole = parseUpload(bytes);
        expectAcceptedIsWellFormed(bytes, whole);
        // Reassembly does not depend on how the bytes were split.
        expect(feedAll(split(bytes, sizes)).state).toBe(whole.state);
      }),
      { numRuns: 2000 },
    );
  });

  it('any single flipped bit is caught', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const bytes = mutate(UPLOAD_VECTOR, [{ kind: 'flip', at, bit }]);
        expect(parseUpload(bytes).state).toBe('invalid');
      }),
      RUNS,
    );
  });

  it('any truncation is invalid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: UPLOAD_VECTOR.length - 1 }), (n) => {
        expect(parseUpload(UPLOAD_VECTOR.subarray(0, n))).toMatchObject({ state: 'invalid', reason: expect.stringContaining('truncated') });
      }),
    );
  });

  it('bytes after a complete stream do not change its records', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 50 }), (tail) => {
        const read = parseUpload(mutate(UPLOAD_VECTOR, [{ kind: 'extend', tail }]));
        expect(read.state).toBe('complete');
        if (read.state === 'complete') expect(read.reply.scans.map((s) => toHex(s.data))).toEqual(['444443344359303032343234', '434153452d3133']);
      }),
      RUNS,
    );
  });

  it('encode → parse round-trips any records, however the stream is split', () => {
    fc.assert(
      fc.property(deviceIdArb, fc.array(scanArb, { maxLength: 30 }), splitsArb, (deviceId, scans, sizes) => {
        const encoded = scans.map((s) => ({ symbologyId: s.symbologyId, data: s.data, packedTimestamp: packTimestamp(scannerTimeFromDate(s.time)) }));
        const bytes = encodeUpload(deviceId, encoded);
        const read = feedAll(split(bytes, sizes));
        expect(read.state).toBe('complete');
        if (read.state !== 'complete') return;
        expect(read.reply.deviceId).toBe(deviceId);
        expect(read.reply.length).toBe(bytes.length);
        expect(read.reply.scans.map((s) => [s.symbologyId, toHex(s.data), s.packedTimestamp])).toEqual(
          encoded.map((s) => [s.symbologyId, toHex(s.data), s.packedTimestamp]),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('frame reader under fuzz', () => {
  it('random bytes never throw; anything accepted is well formed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => expectFrameIsWellFormed(bytes)),
      RUNS,
    );
  });

  it('mutations of every documented frame: never a throw, never a frame with a wrong CRC or pad', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDINARY_FRAMES), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (frame, mutations) => {
        expectFrameIsWellFormed(mutate(frame, mutations));
      }),
      { numRuns: 2000 },
    );
  });

  it('any single flipped bit of a documented frame is caught', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDINARY_FRAMES), fc.nat(), fc.integer({ min: 0, max: 7 }), (frame, at, bit) => {
        const bytes = mutate(frame, [{ kind: 'flip', at, bit }]);
        // A flip in the length byte's unused high bits changes no count: only the CRC can catch it, and does.
        expect(readFrame(bytes).kind).not.toBe('frame');
      }),
      RUNS,
    );
  });

  it('build → read round-trips any code and payload', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: MAX_PAYLOAD }), (code, payload) => {
        const read = readFrame(buildFrame(code, payload));
        expect(read.kind).toBe('frame');
        if (read.kind === 'frame') expect([read.frame.code, toHex(read.frame.payload)]).toEqual([code, toHex(payload)]);
      }),
      RUNS,
    );
  });
});

describe('time encodings round-trip', () => {
  it('packed timestamps, 2000–2063, to the second', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2063-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        const fields = unpackTimestamp(packTimestamp(scannerTimeFromDate(date)));
        expect(fields).not.toBeNull();
        expect(scannerTimeToDate(fields!).getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
      RUNS,
    );
  });

  it('clock fields, 2000–2099', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        const fields = decodeClockFields(encodeClockFields(scannerTimeFromDate(date)));
        expect(scannerTimeToDate(fields!).getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
      RUNS,
    );
  });

  it('any 32-bit value either unpacks to a valid time that packs back to it, or to null', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (packed) => {
        const fields = unpackTimestamp(packed);
        if (fields) expect(packTimestamp(fields)).toBe(packed);
      }),
      RUNS,
    );
  });
});
