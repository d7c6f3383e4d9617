// What the payloads of ordinary replies mean: interrogate (status, device id, firmware), the clock, and
// parameter echoes. Framing is frame.ts's job; this module only reads payloads it is handed.
import { ACK, hex2, type Frame } from './frame.ts';
import { decodeClockFields, type ScannerDateTime } from './timestamp.ts';

export const DEVICE_ID_BYTES = 8;
export const FIRMWARE_BYTES = 8;
/** Interrogate status byte: 0 = ready. */
export const STATUS_OK = 0x00;
/** Interrogate status byte: the scanner is switching to OPN-2001 compatibility mode; ask again in ~5 s. */
export const STATUS_TEMPORARY_ERROR = 0x05;

export interface InterrogateReply {
  status: number;
  /** 16 BCD digits, e.g. "4711081519000001". */
  deviceId: string;
  firmware: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** 8 BCD bytes → 16 digits. A nibble above 9 is shown as a hex digit rather than refused: the id is only a name. */
export function deviceIdFromBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += hex2(b);
  return out;
}

export function deviceIdToBytes(deviceId: string): Uint8Array {
  if (!/^[0-9a-f]{16}$/i.test(deviceId)) throw new RangeError(`device id must be 16 BCD digits: ${deviceId}`);
  const bytes = new Uint8Array(DEVICE_ID_BYTES);
  for (let i = 0; i < DEVICE_ID_BYTES; i++) bytes[i] = parseInt(deviceId.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The printed serial number: the last 6 digits of the device id. */
export function serialFromDeviceId(deviceId: string): string {
  return deviceId.slice(-6);
}

function notAck(frame: Frame): Decoded<never> | null {
  return frame.code === ACK ? null : { ok: false, reason: `status 0x${hex2(frame.code)} instead of ACK` };
}

export function decodeInterrogateReply(frame: Frame): Decoded<InterrogateReply> {
  const refused = notAck(frame);
  if (refused) return refused;
  const p = frame.payload;
  if (p.length < 1) return { ok: false, reason: 'empty interrogate reply' };
  const status = p[0]!;
  // A scanner that is busy switching mode may answer with the status byte alone.
  if (status !== STATUS_OK) return { ok: true, value: { status, deviceId: '', firmware: '' } };
  if (p.length < 1 + DEVICE_ID_BYTES + FIRMWARE_BYTES) return { ok: false, reason: `interrogate reply has ${p.length} payload bytes, expected 17` };
  const deviceId = deviceIdFromBytes(p.subarray(1, 1 + DEVICE_ID_BYTES));
  const firmware = String.fromCharCode(...p.subarray(1 + DEVICE_ID_BYTES, 1 + DEVICE_ID_BYTES + FIRMWARE_BYTES))
    .replace(/[\0 ]+$/, '');
  return { ok: true, value: { status, deviceId, firmware } };
}

export function encodeInterrogatePayload(reply: InterrogateReply): Uint8Array {
  const payload = new Uint8Array(1 + DEVICE_ID_BYTES + FIRMWARE_BYTES);
  payload[0] = reply.status;
  payload.set(deviceIdToBytes(reply.deviceId), 1);
  const firmware = reply.firmware.padEnd(FIRMWARE_BYTES, ' ').slice(0, FIRMWARE_BYTES);
  for (let i = 0; i < FIRMWARE_BYTES; i++) payload[1 + DEVICE_ID_BYTES + i] = firmware.charCodeAt(i) & 0x7f;
  return payload;
}

/** The reply to get clock (and the echo of set clock). */
export function decodeClockReply(frame: Frame): Decoded<ScannerDateTime> {
  const refused = notAck(frame);
  if (refused) return refused;
  const time = decodeClockFields(frame.payload);
  return time ? { ok: true, value: time } : { ok: false, reason: `clock reply holds no valid time (${frame.payload.length} bytes)` };
}

/** A reply that only has to be an ACK (clear, power down). */
export function decodeAck(frame: Frame): Decoded<true> {
  return notAck(frame) ?? { ok: true, value: true };
}
