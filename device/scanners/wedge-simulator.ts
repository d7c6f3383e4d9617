// A keyboard-wedge scanner without the scanner: types text as the input_event records a USB keyboard's
// evdev node would give (EV_MSC scan code, EV_KEY, EV_SYN; shift around capitals and symbols; Enter at
// the end) into a FIFO at the path the KeyboardWedgeScanner reads. plug() creates the FIFO, unplug()
// closes and removes it (the reader sees end of file, as it sees ENODEV from a real unplug).
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { EV_KEY, EV_MSC, EV_SYN, KEY_PRESS, KEY_RELEASE, MSC_SCAN, concatBytes, encodeInputEvent } from './input-event.ts';
import { KEY, hidUsageForLinuxKey, keyStrokeFor } from './keymap.ts';

export interface TypeOptions {
  /** What ends the scan: Enter (default), keypad Enter, or nothing (the text carries its own suffix). */
  terminator?: 'enter' | 'kp-enter' | 'none';
}

/** The records a US-layout scanner sends for text; throws on a character no US key types. */
export function encodeKeystrokes(text: string, options: TypeOptions = {}): Uint8Array {
  const records: Uint8Array[] = [];
  for (const character of text) {
    const stroke = keyStrokeFor(character);
    if (!stroke) throw new Error(`no US keyboard key types ${JSON.stringify(character)}`);
    if (stroke.shift) records.push(...keyEvent(KEY.LEFTSHIFT, KEY_PRESS));
    records.push(...keyEvent(stroke.code, KEY_PRESS), ...keyEvent(stroke.code, KEY_RELEASE));
    if (stroke.shift) records.push(...keyEvent(KEY.LEFTSHIFT, KEY_RELEASE));
  }
  const terminator = options.terminator ?? 'enter';
  if (terminator !== 'none') {
    const code = terminator === 'enter' ? KEY.ENTER : KEY.KPENTER;
    records.push(...keyEvent(code, KEY_PRESS), ...keyEvent(code, KEY_RELEASE));
  }
  return concatBytes(records);
}

/** One key transition as a keyboard reports it: scan code, key, sync. */
export function keyEvent(code: number, value: number): Uint8Array[] {
  const now = Date.now();
  const time = { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 };
  const usage = hidUsageForLinuxKey(code);
  return [
    ...(usage ? [encodeInputEvent({ ...time, type: EV_MSC, code: MSC_SCAN, value: 0x70000 + usage })] : []),
    encodeInputEvent({ ...time, type: EV_KEY, code, value }),
    encodeInputEvent({ ...time, type: EV_SYN, code: 0, value: 0 }),
  ];
}

export class WedgeSimulator {
  readonly path: string;
  #device: FileHandle | null = null;

  constructor(path: string) {
    this.path = path;
  }

  get plugged(): boolean {
    return this.#device !== null;
  }

  /** Creates the FIFO and holds it open, so the reader sees a connected device with nothing to read yet. */
  async plug(): Promise<void> {
    if (this.#device) return;
    await promisify(execFile)('mkfifo', ['-m', '0600', this.path]);
    // O_RDWR: on Linux this never waits for a reader, and it keeps a writer on the FIFO while plugged.
    this.#device = await open(this.path, constants.O_RDWR);
  }

  async type(text: string, options?: TypeOptions): Promise<void> {
    await this.write(encodeKeystrokes(text, options));
  }

  /** Writes records (or parts of records) as they are. */
  async write(bytes: Uint8Array): Promise<void> {
    if (!this.#device) throw new Error(`the simulated scanner at ${this.path} is unplugged`);
    await this.#device.write(bytes);
  }

  async unplug(): Promise<void> {
    const device = this.#device;
    this.#device = null;
    await device?.close();
    await rm(this.path, { force: true });
  }
}
