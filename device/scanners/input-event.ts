// Linux evdev records as the kernel hands them to a 64-bit reader of /dev/input/event*: struct input_event
// = tv_sec i64, tv_usec i64, type u16, code u16, value i32, little-endian (arm64 and x86-64 alike).
// A 32-bit process would get 16-byte records; the appliance runs a 64-bit Node, so 24 it is.

export const INPUT_EVENT_SIZE = 24;

/** Event types (linux/input-event-codes.h); a key press arrives as EV_MSC (scan code), EV_KEY, EV_SYN. */
export const EV_SYN = 0x00;
export const EV_KEY = 0x01;
export const EV_MSC = 0x04;
export const MSC_SCAN = 0x04;

/** EV_KEY values. */
export const KEY_RELEASE = 0;
export const KEY_PRESS = 1;
export const KEY_REPEAT = 2;

export interface InputEvent {
  seconds: number;
  microseconds: number;
  type: number;
  code: number;
  value: number;
  /** The 24 bytes this event was decoded from. */
  raw: Uint8Array;
}

export function decodeInputEvent(record: Uint8Array): InputEvent {
  if (record.length !== INPUT_EVENT_SIZE) throw new RangeError(`an input_event is ${INPUT_EVENT_SIZE} bytes, got ${record.length}`);
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  return {
    seconds: Number(view.getBigInt64(0, true)),
    microseconds: Number(view.getBigInt64(8, true)),
    type: view.getUint16(16, true),
    code: view.getUint16(18, true),
    value: view.getInt32(20, true),
    raw: record,
  };
}

export function encodeInputEvent(event: { type: number; code: number; value: number; seconds?: number; microseconds?: number }): Uint8Array {
  const record = new Uint8Array(INPUT_EVENT_SIZE);
  const view = new DataView(record.buffer);
  view.setBigInt64(0, BigInt(event.seconds ?? 0), true);
  view.setBigInt64(8, BigInt(event.microseconds ?? 0), true);
  view.setUint16(16, event.type, true);
  view.setUint16(18, event.code, true);
  view.setInt32(20, event.value, true);
  return record;
}

/** Cuts a byte stream into whole records: a read may end in the middle of one, the rest comes next read. */
export class InputEventFramer {
  #pending = new Uint8Array(0);

  push(chunk: Uint8Array): InputEvent[] {
    const bytes = this.#pending.length === 0 ? chunk : concatBytes([this.#pending, chunk]);
    const whole = bytes.length - (bytes.length % INPUT_EVENT_SIZE);
    const events: InputEvent[] = [];
    for (let offset = 0; offset < whole; offset += INPUT_EVENT_SIZE) {
      // slice (a copy): the caller reuses its read buffer, and scans keep these bytes as raw.
      events.push(decodeInputEvent(bytes.slice(offset, offset + INPUT_EVENT_SIZE)));
    }
    this.#pending = bytes.slice(whole);
    return events;
  }

  /** Forgets a partial record (the device went away mid-record). */
  reset(): void {
    this.#pending = new Uint8Array(0);
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
