// Ordinary request and reply frames: code, STX, 5-bit length, payload, 0x00 pad (only with a payload), CRC.
// The upload reply (opcode 0x07) is not an ordinary frame: see upload.ts.
import { crc16, crcMatches } from './crc.ts';

export const OPCODE = {
  interrogate: 0x01,
  clear: 0x02,
  setParameter: 0x03,
  powerDown: 0x05,
  upload: 0x07,
  getParameter: 0x08,
  setClock: 0x09,
  getClock: 0x0a,
} as const;

export const STX = 0x02;
export const ACK = 0x06;
export const NAK = 0x15;
/** The payload length field has 5 bits. */
export const MAX_PAYLOAD = 0x1f;

export interface Frame {
  /** Opcode in a request, status in a reply (0x06 = ACK). */
  code: number;
  payload: Uint8Array;
}

export type FrameRead =
  | { kind: 'need-more' }
  | { kind: 'frame'; frame: Frame; /** bytes the frame took from the front of the buffer */ length: number }
  | { kind: 'invalid'; reason: string };

const NO_PAYLOAD = new Uint8Array(0);

export function buildFrame(code: number, payload: Uint8Array = NO_PAYLOAD): Uint8Array {
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`payload of ${payload.length} bytes does not fit a frame (max ${MAX_PAYLOAD})`);
  const pad = payload.length > 0 ? 1 : 0;
  const bytes = new Uint8Array(3 + payload.length + pad + 2);
  bytes[0] = code;
  bytes[1] = STX;
  bytes[2] = payload.length;
  bytes.set(payload, 3);
  const crcAt = bytes.length - 2;
  const crc = crc16(bytes, 0, crcAt);
  bytes[crcAt] = crc >>> 8;
  bytes[crcAt + 1] = crc & 0xff;
  return bytes;
}

/** Total length of the frame whose header starts `bytes`, once the length byte has arrived. */
function frameLength(lengthByte: number): number {
  const n = lengthByte & MAX_PAYLOAD;
  return 3 + n + (n > 0 ? 1 : 0) + 2;
}

/**
 * Reads one frame from the front of `bytes` (everything received since the request), counting bytes: a
 * reply split over several reads gives 'need-more' until it is whole. Bytes after the frame are not looked at.
 */
export function readFrame(bytes: Uint8Array): FrameRead {
  if (bytes.length < 3) {
    if (bytes.length >= 2 && bytes[1] !== STX) return { kind: 'invalid', reason: `byte 1 is 0x${hex2(bytes[1]!)}, not STX` };
    return { kind: 'need-more' };
  }
  if (bytes[1] !== STX) return { kind: 'invalid', reason: `byte 1 is 0x${hex2(bytes[1]!)}, not STX` };
  // The upper 3 bits of the length byte are documented as 0 but old readers ignore them; the CRC covers them.
  const length = frameLength(bytes[2]!);
  if (bytes.length < length) return { kind: 'need-more' };
  const n = bytes[2]! & MAX_PAYLOAD;
  if (n > 0 && bytes[3 + n] !== 0) return { kind: 'invalid', reason: `pad byte is 0x${hex2(bytes[3 + n]!)}, not 0x00` };
  if (!crcMatches(bytes, length - 2)) return { kind: 'invalid', reason: 'CRC mismatch' };
  return { kind: 'frame', frame: { code: bytes[0]!, payload: bytes.slice(3, 3 + n) }, length };
}

export function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += hex2(b);
  return out;
}

/** "06 02 11" → bytes; whitespace ignored. For vectors in tests and logs. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`not hex: ${text}`);
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
