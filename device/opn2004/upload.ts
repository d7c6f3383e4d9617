// The upload reply (opcode 0x07): a stream, not an ordinary frame. Parsed incrementally because a full
// scanner sends tens of kilobytes in many small reads; records are only handed out once the CRC over the
// whole stream has matched, so a damaged upload can never be half-stored.
import { crc16, crcMatches } from './crc.ts';
import { ACK, STX, hex2 } from './frame.ts';
import { DEVICE_ID_BYTES, deviceIdFromBytes, deviceIdToBytes } from './replies.ts';
import { unpackTimestamp, type ScannerDateTime } from './timestamp.ts';

/** 06 02 + device id. */
export const UPLOAD_HEADER_BYTES = 2 + DEVICE_ID_BYTES;
/**
 * A record is <L> <symbology> <barcode> <4-byte timestamp> and L counts the whole record, L byte included,
 * so the barcode has L - 6 bytes. That is how the doc's known-answer upload (0x12 for a 12-character
 * barcode) is laid out; the doc's prose ("L-5 bytes barcode") and one old Python reader count one byte
 * less. Change it here, in one place, if a real OPN-2004 says otherwise.
 */
export const RECORD_OVERHEAD = 6;
export const MAX_BARCODE_BYTES = 0xff - RECORD_OVERHEAD;
/** Far more than an OPN-2004's memory; a stream longer than this is garbage, not scans. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

export interface UploadedScan {
  symbologyId: number;
  /** The barcode bytes exactly as stored. */
  data: Uint8Array;
  /** The 32-bit timestamp as stored (evidence). */
  packedTimestamp: number;
  time: ScannerDateTime;
}

export interface UploadReply {
  deviceId: string;
  scans: UploadedScan[];
  /** Bytes of the stream, CRC included. */
  length: number;
}

export type UploadRead =
  | { state: 'need-more'; scans: number; bytes: number }
  | { state: 'complete'; reply: UploadReply; bytes: number }
  | { state: 'invalid'; reason: string; bytes: number };

export class UploadParser {
  private buffer = new Uint8Array(256);
  private received = 0;
  /** Where the next record (or the end mark) starts. */
  private at = UPLOAD_HEADER_BYTES;
  private readonly scans: UploadedScan[] = [];
  private result: UploadRead | null = null;
  private readonly maxBytes: number;

  constructor(maxBytes = DEFAULT_MAX_UPLOAD_BYTES) {
    this.maxBytes = maxBytes;
  }

  /** Adds bytes as they arrive; once the answer is final ('complete' or 'invalid'), later bytes are ignored. */
  feed(chunk: Uint8Array): UploadRead {
    if (this.result) return this.result;
    this.append(chunk);
    const final = this.parse();
    if (final) return (this.result = final);
    if (this.received > this.maxBytes) return (this.result = this.invalid(`longer than ${this.maxBytes} bytes without an end`));
    return { state: 'need-more', scans: this.scans.length, bytes: this.received };
  }

  /** No more bytes will come (the scanner went quiet or the link closed): an unfinished stream is invalid. */
  end(): UploadRead {
    if (this.result) return this.result;
    return (this.result = this.invalid(this.whyUnfinished()));
  }

  private append(chunk: Uint8Array): void {
    if (this.received + chunk.length > this.buffer.length) {
      const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.received + chunk.length));
      bigger.set(this.buffer.subarray(0, this.received));
      this.buffer = bigger;
    }
    this.buffer.set(chunk, this.received);
    this.received += chunk.length;
  }

  private invalid(reason: string): UploadRead {
    return { state: 'invalid', reason, bytes: this.received };
  }

  /** Parses as far as the bytes go; returns the final answer, or null when more bytes are needed. */
  private parse(): UploadRead | null {
    const b = this.buffer;
    if (this.received >= 1 && b[0] !== ACK) return this.invalid(`the scanner answered status 0x${hex2(b[0]!)} instead of ACK`);
    if (this.received >= 2 && b[1] !== STX) return this.invalid(`byte 1 is 0x${hex2(b[1]!)}, not STX`);
    if (this.received < UPLOAD_HEADER_BYTES) return null;
    while (this.at < this.received) {
      const length = b[this.at]!;
      if (length === 0) {
        const crcAt = this.at + 1;
        if (this.received < crcAt + 2) return null;
        if (!crcMatches(b, crcAt)) return this.invalid(`CRC mismatch over ${crcAt + 2} bytes (${this.scans.length} records)`);
        const reply = { deviceId: deviceIdFromBytes(b.subarray(2, UPLOAD_HEADER_BYTES)), scans: this.scans, length: crcAt + 2 };
        return { state: 'complete', reply, bytes: this.received };
      }
      if (length < RECORD_OVERHEAD) return this.invalid(`record ${this.scans.length + 1} has length byte ${length}, under ${RECORD_OVERHEAD}`);
      if (this.received < this.at + length) return null;
      const tsAt = this.at + length - 4;
      const packed = ((b[tsAt]! << 24) | (b[tsAt + 1]! << 16) | (b[tsAt + 2]! << 8) | b[tsAt + 3]!) >>> 0;
      const time = unpackTimestamp(packed);
      // A corrupted length byte misaligns every later record; their timestamps stop being dates.
      if (!time) return this.invalid(`record ${this.scans.length + 1} has an impossible timestamp 0x${packed.toString(16).padStart(8, '0')}`);
      this.scans.push({ symbologyId: b[this.at + 1]!, data: b.slice(this.at + 2, tsAt), packedTimestamp: packed, time });
      this.at += length;
    }
    return null;
  }

  private whyUnfinished(): string {
    const scans = `${this.scans.length} complete records`;
    if (this.received < UPLOAD_HEADER_BYTES) return `truncated: the stream ended after ${this.received} bytes, inside the header`;
    if (this.at >= this.received) return `truncated: the stream ended after ${this.received} bytes (${scans}) without the end mark`;
    const length = this.buffer[this.at]!;
    if (length === 0) return `truncated: the stream ended after ${this.received} bytes, inside the CRC`;
    return `truncated: record ${this.scans.length + 1} (length ${length}) runs past the end of the stream at ${this.received} bytes (${scans})`;
  }
}

/** Parses a whole upload stream at once (tests, and anything that already holds every byte). */
export function parseUpload(bytes: Uint8Array): UploadRead {
  const parser = new UploadParser();
  const read = parser.feed(bytes);
  return read.state === 'need-more' ? parser.end() : read;
}

export interface ScanToUpload {
  symbologyId: number;
  data: Uint8Array;
  packedTimestamp: number;
}

/** The device's side: the bytes of an upload reply holding these scans. */
export function encodeUpload(deviceId: string, scans: readonly ScanToUpload[]): Uint8Array {
  let size = UPLOAD_HEADER_BYTES + 1 + 2;
  for (const s of scans) {
    if (s.data.length > MAX_BARCODE_BYTES) throw new RangeError(`barcode of ${s.data.length} bytes does not fit a record`);
    size += RECORD_OVERHEAD + s.data.length;
  }
  const out = new Uint8Array(size);
  out[0] = ACK;
  out[1] = STX;
  out.set(deviceIdToBytes(deviceId), 2);
  let at = UPLOAD_HEADER_BYTES;
  for (const s of scans) {
    out[at] = RECORD_OVERHEAD + s.data.length;
    out[at + 1] = s.symbologyId;
    out.set(s.data, at + 2);
    const tsAt = at + 2 + s.data.length;
    out[tsAt] = s.packedTimestamp >>> 24;
    out[tsAt + 1] = (s.packedTimestamp >>> 16) & 0xff;
    out[tsAt + 2] = (s.packedTimestamp >>> 8) & 0xff;
    out[tsAt + 3] = s.packedTimestamp & 0xff;
    at = tsAt + 4;
  }
  out[at] = 0x00; // end of records, doubles as the pad
  const crc = crc16(out, 0, at + 1);
  out[at + 1] = crc >>> 8;
  out[at + 2] = crc & 0xff;
  return out;
}
