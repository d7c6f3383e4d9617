// Known-answer tests: every byte string of /work/shared/opn2004-protocol.md, decoded and re-encoded.
import { describe, expect, it } from 'vitest';
import { crc16 } from '../../../device/opn2004/crc.ts';
import { ACK, OPCODE, buildFrame, fromHex, readFrame, toHex } from '../../../device/opn2004/frame.ts';
import {
  STATUS_OK,
  decodeClockReply,
  decodeInterrogateReply,
  deviceIdFromBytes,
  encodeInterrogatePayload,
  serialFromDeviceId,
} from '../../../device/opn2004/replies.ts';
import { symbologyName } from '../../../device/opn2004/symbology.ts';
import {
  decodeClockFields,
  encodeClockFields,
  packTimestamp,
  scannerTimeFromDate,
  scannerTimeToDate,
  unpackTimestamp,
} from '../../../device/opn2004/timestamp.ts';
import { UploadParser, encodeUpload, parseUpload } from '../../../device/opn2004/upload.ts';
import { INTERROGATE_LISTING, UPLOAD_VECTOR } from './support/vectors.ts';

const t = (iso: string) => scannerTimeFromDate(new Date(iso));

// The doc calls the interrogate reply 23 bytes and lists 24: the frame is the first 23 (its CRC 1A 25
// matches); the trailing 0x23 is a stray byte a reader must leave alone.
const INTERROGATE_VECTOR = INTERROGATE_LISTING;

describe('CRC-16 (0xA001 reflected, init 0xFFFF, inverted)', () => {
  it.each([
    ['01 02 00', 0x9fde],
    ['02 02 00', 0x9f2e],
    ['05 02 00', 0x5e9f],
    ['07 02 00', 0x9e3e],
    ['0A 02 00', 0x5daf],
  ])('crc(%s) = %s', (bytes, crc) => {
    expect(crc16(fromHex(bytes))).toBe(crc);
  });
});

describe('request frames', () => {
  it.each([
    ['interrogate', OPCODE.interrogate, '', '01 02 00 9F DE'],
    ['clear', OPCODE.clear, '', '02 02 00 9F 2E'],
    ['power down', OPCODE.powerDown, '', '05 02 00 5E 9F'],
    ['upload', OPCODE.upload, '', '07 02 00 9E 3E'],
    ['get parameter volume', OPCODE.getParameter, '02', '08 02 01 02 00 26 6B'],
    ['get clock', OPCODE.getClock, '', '0A 02 00 5D AF'],
  ])('%s is exactly the documented bytes', (_name, opcode, payload, expected) => {
    expect(toHex(buildFrame(opcode, fromHex(payload)))).toBe(toHex(fromHex(expected)));
  });

  it.each([
    ['2025-06-15T14:30:05Z', '09 02 06 05 1E 0E 0F 06 19 00 67 11'],
    ['2000-03-02T07:01:00Z', '09 02 06 00 01 07 02 03 00 00 34 83'],
  ])('set clock to %s', (iso, expected) => {
    expect(toHex(buildFrame(OPCODE.setClock, encodeClockFields(t(iso))))).toBe(toHex(fromHex(expected)));
  });

  it('a documented request reads back as the same opcode and payload', () => {
    const read = readFrame(fromHex('09 02 06 00 01 07 02 03 00 00 34 83'));
    expect(read.kind).toBe('frame');
    if (read.kind !== 'frame') return;
    expect(read.frame.code).toBe(OPCODE.setClock);
    expect(decodeClockFields(read.frame.payload)).toEqual(t('2000-03-02T07:01:00Z'));
  });

  it('refuses payloads the 5-bit length cannot describe', () => {
    expect(() => buildFrame(OPCODE.setParameter, new Uint8Array(32))).toThrow(RangeError);
  });
});

describe('get clock reply', () => {
  const reply = fromHex('06 02 06 05 1E 0E 0F 06 19 00 57 21');

  it('decodes to 2025-06-15 14:30:05', () => {
    const read = readFrame(reply);
    expect(read).toMatchObject({ kind: 'frame', length: 12 });
    if (read.kind !== 'frame') return;
    const clock = decodeClockReply(read.frame);
    expect(clock).toEqual({ ok: true, value: t('2025-06-15T14:30:05Z') });
    if (clock.ok) expect(scannerTimeToDate(clock.value).toISOString()).toBe('2025-06-15T14:30:05.000Z');
  });

  it('is rebuilt byte for byte from the time', () => {
    expect(toHex(buildFrame(ACK, encodeClockFields(t('2025-06-15T14:30:05Z'))))).toBe(toHex(reply));
  });

  it('reassembles when it arrives one byte at a time', () => {
    for (let n = 0; n < reply.length; n++) expect(readFrame(reply.subarray(0, n)).kind).toBe('need-more');
    expect(readFrame(reply).kind).toBe('frame');
  });

  it('a flipped bit anywhere is refused', () => {
    for (let i = 0; i < reply.length; i++) {
      const bad = reply.slice();
      bad[i]! ^= 0x10;
      expect(readFrame(bad).kind, `byte ${i}`).not.toBe('frame');
    }
  });
});

describe('packed timestamp', () => {
  it('2025-06-15 14:30:05 packs to 0x15E73D99 (15 E7 3D 99 on the wire)', () => {
    expect(packTimestamp(t('2025-06-15T14:30:05Z'))).toBe(0x15e73d99);
    expect(unpackTimestamp(0x15e73d99)).toEqual(t('2025-06-15T14:30:05Z'));
  });

  it('bit fields: year 0-5, month 6-9, day 10-14, hour 15-19, minute 20-25, second 26-31', () => {
    expect(packTimestamp({ year: 2063, month: 1, day: 1, hour: 0, minute: 0, second: 0 })).toBe(63 | (1 << 6) | (1 << 10));
    expect(packTimestamp({ year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 59 })).toBe(((59 << 26) | (1 << 6) | (1 << 10)) >>> 0);
  });

  it('a timestamp that is no date unpacks to null', () => {
    expect(unpackTimestamp(0)).toBeNull(); // month 0, day 0
    expect(unpackTimestamp(packTimestamp(t('2024-02-29T00:00:00Z')) + (1 << 10))).toBeNull(); // 30 February
  });

  it('years after 2063 do not fit six bits', () => {
    expect(() => packTimestamp(t('2064-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('interrogate reply', () => {
  it('reads a 23-byte frame: status 0, device id 4711081519000001, firmware RBBV0014', () => {
    const read = readFrame(INTERROGATE_VECTOR);
    expect(read).toMatchObject({ kind: 'frame', length: 23 });
    if (read.kind !== 'frame') return;
    expect(decodeInterrogateReply(read.frame)).toEqual({
      ok: true,
      value: { status: STATUS_OK, deviceId: '4711081519000001', firmware: 'RBBV0014' },
    });
    expect(serialFromDeviceId('4711081519000001')).toBe('000001');
  });

  it('is rebuilt byte for byte', () => {
    const payload = encodeInterrogatePayload({ status: 0, deviceId: '4711081519000001', firmware: 'RBBV0014' });
    expect(toHex(buildFrame(ACK, payload))).toBe(toHex(INTERROGATE_VECTOR.subarray(0, 23)));
  });

  it('waits for every byte when the reply is split into reads', () => {
    const frame = INTERROGATE_VECTOR.subarray(0, 23);
    expect(readFrame(frame.subarray(0, 22)).kind).toBe('need-more');
    expect(readFrame(frame.subarray(0, 3)).kind).toBe('need-more');
  });

  it('a NAK is not an interrogate answer', () => {
    const read = readFrame(buildFrame(0x15));
    expect(read.kind).toBe('frame');
    if (read.kind === 'frame') expect(decodeInterrogateReply(read.frame)).toMatchObject({ ok: false });
  });
});

describe('upload reply', () => {
  const expectedScans = [
    { text: 'DDC4CY002424', symbologyId: 0x03, symbology: 'Code 128', at: '2026-03-15T14:21:33.000Z', packed: 0x85573cda },
    { text: 'CASE-13', symbologyId: 0x01, symbology: 'Code 39', at: '2026-03-15T14:21:40.000Z', packed: 0xa1573cda },
  ];

  it('decodes device id 4711081519000001 and the two documented records', () => {
    const read = parseUpload(UPLOAD_VECTOR);
    expect(read.state).toBe('complete');
    if (read.state !== 'complete') return;
    expect(read.reply.deviceId).toBe('4711081519000001');
    expect(read.reply.length).toBe(UPLOAD_VECTOR.length);
    expect(
      read.reply.scans.map((s) => ({
        text: Buffer.from(s.data).toString('latin1'),
        symbologyId: s.symbologyId,
        symbology: symbologyName(s.symbologyId),
        at: scannerTimeToDate(s.time).toISOString(),
        packed: s.packedTimestamp,
      })),
    ).toEqual(expectedScans);
  });

  it('is rebuilt byte for byte by the encoder', () => {
    const scans = expectedScans.map((s) => ({ symbologyId: s.symbologyId, data: Buffer.from(s.text, 'latin1'), packedTimestamp: s.packed }));
    expect(toHex(encodeUpload('4711081519000001', scans))).toBe(toHex(UPLOAD_VECTOR));
  });

  it('fed in every possible two-chunk split, it says need-more until the CRC and then complete', () => {
    for (let cut = 0; cut <= UPLOAD_VECTOR.length; cut++) {
      const parser = new UploadParser();
      const first = parser.feed(UPLOAD_VECTOR.subarray(0, cut));
      if (cut < UPLOAD_VECTOR.length) expect(first.state, `cut ${cut}`).toBe('need-more');
      expect(parser.feed(UPLOAD_VECTOR.subarray(cut)).state, `cut ${cut}`).toBe('complete');
    }
  });

  it('reports progress in records while the stream arrives', () => {
    const parser = new UploadParser();
    expect(parser.feed(UPLOAD_VECTOR.subarray(0, 28))).toEqual({ state: 'need-more', scans: 1, bytes: 28 });
    expect(parser.feed(UPLOAD_VECTOR.subarray(28, 41))).toEqual({ state: 'need-more', scans: 2, bytes: 41 });
  });

  it('a bad CRC yields no records', () => {
    const bad = UPLOAD_VECTOR.slice();
    bad[bad.length - 1]! ^= 0x01;
    expect(parseUpload(bad)).toMatchObject({ state: 'invalid', reason: expect.stringContaining('CRC mismatch') });
  });

  it('a length byte under 6 is refused', () => {
    const bad = UPLOAD_VECTOR.slice();
    bad[28] = 0x04; // the second record's length byte
    expect(parseUpload(bad)).toMatchObject({ state: 'invalid', reason: expect.stringContaining('length byte 4') });
  });

  it('a length byte that runs past the end is refused', () => {
    const bad = UPLOAD_VECTOR.slice();
    bad[28] = 0x40;
    const read = parseUpload(bad);
    expect(read.state).toBe('invalid');
  });

  it('every truncation is invalid, with no records', () => {
    for (let n = 0; n < UPLOAD_VECTOR.length; n++) {
      const read = parseUpload(UPLOAD_VECTOR.subarray(0, n));
      expect(read, `length ${n}`).toMatchObject({ state: 'invalid', reason: expect.stringContaining('truncated') });
    }
    expect(parseUpload(UPLOAD_VECTOR.subarray(0, 20))).toMatchObject({ reason: expect.stringContaining('runs past the end') });
  });

  it('a NAK instead of the stream is refused at once', () => {
    expect(new UploadParser().feed(Uint8Array.of(0x15))).toMatchObject({ state: 'invalid', reason: expect.stringContaining('0x15') });
  });

  it('an empty memory is a header, the end mark and the CRC', () => {
    const empty = encodeUpload('4711081519000001', []);
    expect(empty.length).toBe(13);
    expect(parseUpload(empty)).toMatchObject({ state: 'complete', reply: { scans: [] } });
  });
});

describe('symbology names', () => {
  it.each([
    [0x01, 'Code 39'], [0x02, 'Codabar'], [0x03, 'Code 128'], [0x06, 'ITF'], [0x07, 'Code 93'], [0x08, 'UPC-A'],
    [0x09, 'UPC-E'], [0x0a, 'EAN-8'], [0x0b, 'EAN-13'], [0x0f, 'GS1-128'], [0x13, 'Code 39 full ASCII'],
    [0x1b, 'Data Matrix'], [0x1c, 'QR'],
  ])('0x%s is %s', (id, name) => {
    expect(symbologyName(id)).toBe(name);
  });

  it('keeps unknown ids as numbers', () => {
    expect(symbologyName(0x2a)).toBe('symbology 0x2a');
  });
});

describe('device id', () => {
  it('is 16 BCD digits; the serial is the last six', () => {
    expect(deviceIdFromBytes(fromHex('47 11 08 15 19 00 00 01'))).toBe('4711081519000001');
  });
});
