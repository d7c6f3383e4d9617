// Reads a USB keyboard-wedge barcode scanner on the device side, from its evdev node (normally
// /dev/input/by-id/usb-<vendor>_<model>-event-kbd), so scans reach the appliance whatever the kiosk
// browser has in focus. The image's udev rule hides that keyboard from the compositor (Node cannot issue
// the EVIOCGRAB ioctl that would take it exclusively); see README.md.
//
// The fd is opened O_NONBLOCK and read in a loop that sleeps readPollMs when the kernel has nothing
// (EAGAIN): a blocking read would park a libuv pool thread that stop() can never get back. Unplug shows up
// as ENODEV (or end of file, for a FIFO whose writer left); the loop then polls every reopenPollMs for the
// path to come back and carries on.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceState, DeviceStatus, StatusListener } from '../device-status.ts';
import { EV_KEY, INPUT_EVENT_SIZE, InputEventFramer } from './input-event.ts';
import type { InputEvent } from './input-event.ts';
import { KeyScanAssembler } from './key-scan-assembler.ts';
import type { ScanListener, ScanSource } from './scan-source.ts';
import { SourceEvents } from './source-events.ts';

export interface KeyboardWedgeOptions {
  /** The scanner's event node; a /dev/input/by-id/ link keeps its name across replugs. */
  path: string;
  /** A suffix the scanner is programmed to send instead of (or besides) Enter. */
  suffix?: string;
  /** How often to look for the path while the scanner is away (default 1000 ms). */
  reopenPollMs?: number;
  /** How long to sleep when the node has no events (default 20 ms; bounds the added latency). */
  readPollMs?: number;
  /** True when the path is fed by the WedgeSimulator rather than a scanner. */
  simulated?: boolean;
  now?: () => Date;
}

export class KeyboardWedgeScanner implements ScanSource {
  readonly id: string;
  readonly #path: string;
  readonly #reopenPollMs: number;
  readonly #readPollMs: number;
  readonly #events: SourceEvents;
  readonly #assembler: KeyScanAssembler;
  readonly #framer = new InputEventFramer();
  readonly #stopping = new AbortController();
  #running: Promise<void> | null = null;

  constructor(options: KeyboardWedgeOptions) {
    this.#path = options.path;
    this.id = `wedge:${options.path}`;
    this.#reopenPollMs = options.reopenPollMs ?? 1000;
    this.#readPollMs = options.readPollMs ?? 20;
    this.#assembler = new KeyScanAssembler({ suffix: options.suffix });
    this.#events = new SourceEvents(
      { id: this.id, kind: 'Keyboard-wedge scanner', simulated: options.simulated ?? false },
      { state: 'disconnected', detail: `Not listening yet to ${options.path}.` },
      options.now ?? (() => new Date()),
    );
  }

  start(): void {
    if (this.#running || this.#stopping.signal.aborted) return;
    // The loop handles every failure it expects; anything else ends up on the status screen, not unhandled.
    this.#running = this.#run().catch((err: unknown) => this.#events.setStatus('error', `Stopped reading ${this.#path} after an unexpected failure: ${String(err)}`));
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#events.silence();
    await this.#running;
    this.#events.setStatus('disconnected', `Stopped listening to ${this.#path}.`);
  }

  status(): DeviceStatus {
    return this.#events.status();
  }

  onScan(listener: ScanListener): void {
    this.#events.onScan(listener);
  }

  onStatus(listener: StatusListener): void {
    this.#events.onStatus(listener);
  }

  async #run(): Promise<void> {
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      const handle = await this.#open();
      if (handle) {
        const reason = await this.#readUntilGone(handle, signal);
        await handle.close().catch(() => undefined);
        this.#assembler.reset();
        this.#framer.reset();
        if (signal.aborted) break;
        this.#events.setStatus('disconnected', `${this.#path} went away (${reason}); waiting for it to come back.`);
      }
      await pause(this.#reopenPollMs, signal);
    }
  }

  async #open(): Promise<FileHandle | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.#path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      const { state, detail } = openFailureStatus(this.#path, err);
      this.#events.setStatus(state, detail);
      return null;
    }
    const stat = await handle.stat().catch(() => null);
    // A regular file would be read from the start again at every reopen: every scan in it repeated.
    if (!stat || (!stat.isCharacterDevice() && !stat.isFIFO())) {
      await handle.close();
      this.#events.setStatus('error', `${this.#path} is not an input device (expected an event node such as /dev/input/event3).`);
      return null;
    }
    this.#events.setStatus('connected', `Reading ${this.#path}.`);
    return handle;
  }

  /** Reads until the device goes away or stop(); returns why it ended. */
  async #readUntilGone(handle: FileHandle, signal: AbortSignal): Promise<string> {
    const buffer = Buffer.alloc(INPUT_EVENT_SIZE * 64);
    while (!signal.aborted) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (err) {
        if (errorCode(err) === 'EAGAIN') {
          await pause(this.#readPollMs, signal);
          continue;
        }
        return `read failed: ${errorCode(err) ?? String(err)}`;
      }
      if (bytesRead === 0) return 'end of file';
      for (const event of this.#framer.push(buffer.subarray(0, bytesRead))) this.#onInputEvent(event);
    }
    return 'stopped';
  }

  #onInputEvent(event: InputEvent): void {
    // EV_SYN separates event groups and EV_MSC carries the hardware scan code: neither types anything.
    if (event.type !== EV_KEY) return;
    const scan = this.#assembler.key(event.code, event.value, event.raw);
    if (!scan) return;
    this.#events.emitScan({
      source: 'wedge',
      device: this.id,
      raw: scan.raw,
      text: scan.text,
      symbology: null,
      at: this.#events.now().toISOString(),
    });
  }
}

/** What a failed open() of the event node means for the status screen. */
export function openFailureStatus(path: string, err: unknown): { state: DeviceState; detail: string } {
  const code = errorCode(err);
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO') {
    return { state: 'disconnected', detail: `Waiting for ${path} (scanner not plugged in).` };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      state: 'error',
      detail: `Permission denied reading ${path}: the udev rule that gives the service user's group read access to the scanner's event node (device/scanners/README.md) is missing or does not match this scanner.`,
    };
  }
  return { state: 'error', detail: `Cannot open ${path}: ${code ?? String(err)}.` };
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Sleeps, or returns early when stop() aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
