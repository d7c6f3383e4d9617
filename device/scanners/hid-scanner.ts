// Listens to USB HID barcode scanners of one vendor:product id through node-hid (hidraw on Linux): in HID
// POS mode (usage page 0x8C, scanned data reports) or, failing that, through their keyboard interface
// (boot keyboard reports). Hot-plug by polling the device list every pollMs: a scanner that appears is
// opened, one that disappears or fails a read is closed and reported. node-hid is loaded on start() and
// a failure to load it (no libudev / libusb on the box) becomes an error status, never a crash.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceStatus, StatusListener } from '../device-status.ts';
import { BootKeyboardDecoder, PosScanJoiner } from './hid-reports.ts';
import { concatBytes } from './input-event.ts';
import { KeyScanAssembler } from './key-scan-assembler.ts';
import type { ScanListener, ScanSource } from './scan-source.ts';
import { SourceEvents } from './source-events.ts';

/** The part of node-hid the listener uses; tests hand in a fake. */
export interface HidModule {
  devices(): HidDeviceInfo[];
  open(path: string): HidConnection;
}

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  product?: string | undefined;
}

/** An open device: reports arrive as 'data' (report id first when the device numbers its reports). */
export interface HidConnection {
  on(event: 'data', listener: (report: Uint8Array) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  close(): void;
}

export async function loadNodeHid(): Promise<HidModule> {
  const hid = await import('node-hid');
  return { devices: () => hid.devices(), open: (path) => new hid.HID(path) };
}

export interface HidScannerOptions {
  /** "vvvv:pppp", hex vendor and product id as lsusb prints them. */
  device: string;
  /** How often to look at the device list (default 2000 ms). */
  pollMs?: number;
  /** For keyboard-mode scanners programmed with a suffix other than Enter. */
  suffix?: string;
  loadHid?: () => Promise<HidModule>;
  now?: () => Date;
}

export function parseHidDeviceId(text: string): { vendorId: number; productId: number } {
  const match = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(text.trim());
  if (!match) throw new Error(`HID scanner "${text}" is not vvvv:pppp (hex vendor and product id, e.g. 05e0:1200)`);
  return { vendorId: parseInt(match[1]!, 16), productId: parseInt(match[2]!, 16) };
}

const POS_USAGE_PAGE = 0x8c;
const GENERIC_DESKTOP = 0x01;
const KEYBOARD_USAGE = 0x06;

type ReportMode = 'pos' | 'keyboard';
type ReportReader = (report: Uint8Array) => Array<{ text: string; symbology: string | null; raw: Uint8Array }>;

interface OpenDevice {
  connection: HidConnection;
  mode: ReportMode;
}

export class HidScanner implements ScanSource {
  readonly id: string;
  readonly #label: string;
  readonly #vendorId: number;
  readonly #productId: number;
  readonly #pollMs: number;
  readonly #suffix: string | undefined;
  readonly #loadHid: () => Promise<HidModule>;
  readonly #events: SourceEvents;
  readonly #open = new Map<string, OpenDevice>();
  readonly #stopping = new AbortController();
  #running: Promise<void> | null = null;
  #everSeen = false;

  constructor(options: HidScannerOptions) {
    const { vendorId, productId } = parseHidDeviceId(options.device);
    this.#vendorId = vendorId;
    this.#productId = productId;
    this.#label = `${hex4(vendorId)}:${hex4(productId)}`;
    this.id = `hid:${this.#label}`;
    this.#pollMs = options.pollMs ?? 2000;
    this.#suffix = options.suffix;
    this.#loadHid = options.loadHid ?? loadNodeHid;
    this.#events = new SourceEvents(
      { id: this.id, kind: 'HID barcode scanner', simulated: false },
      { state: 'disconnected', detail: `Not listening yet for HID scanner ${this.#label}.` },
      options.now ?? (() => new Date()),
    );
  }

  start(): void {
    if (this.#running || this.#stopping.signal.aborted) return;
    // The loop handles every failure it expects; anything else ends up on the status screen, not unhandled.
    this.#running = this.#run().catch((err: unknown) => this.#events.setStatus('error', `Stopped listening for HID scanner ${this.#label} after an unexpected failure: ${String(err)}`));
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#events.silence();
    await this.#running;
    for (const path of [...this.#open.keys()]) this.#close(path);
    this.#events.setStatus('disconnected', `Stopped listening for HID scanner ${this.#label}.`);
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
    let hid: HidModule;
    try {
      hid = await this.#loadHid();
    } catch (err) {
      this.#events.setStatus('error', `HID scanners unavailable: ${message(err)}`);
      return;
    }
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      this.#poll(hid);
      await sleep(this.#pollMs, undefined, { signal }).catch(() => undefined);
    }
  }

  #poll(hid: HidModule): void {
    let listed: HidDeviceInfo[];
    try {
      listed = hid.devices().filter((d) => d.vendorId === this.#vendorId && d.productId === this.#productId);
    } catch (err) {
      this.#events.setStatus('error', `Listing HID devices failed: ${message(err)}`);
      return;
    }
    const wanted = readableInterfaces(listed);
    const unplugged = [...this.#open.keys()].filter((path) => !wanted.has(path));
    for (const path of unplugged) this.#close(path);

    let openFailure = '';
    for (const [path, mode] of wanted) {
      if (this.#open.has(path)) continue;
      try {
        this.#attach(path, hid.open(path), mode);
      } catch (err) {
        openFailure = `Cannot open HID scanner ${this.#label} at ${path}: ${message(err)}. The udev rule must give the service user read access to its /dev/hidraw node (device/scanners/README.md).`;
      }
    }

    if (this.#open.size > 0) {
      this.#everSeen = true;
      const where = [...this.#open].map(([path, device]) => `${path} (${device.mode === 'pos' ? 'POS reports' : 'keyboard reports'})`);
      this.#events.setStatus('connected', `Reading HID scanner ${this.#label} at ${where.join(', ')}.`);
    } else if (openFailure) {
      this.#events.setStatus('error', openFailure);
    } else if (listed.length > 0) {
      this.#events.setStatus('error', `HID device ${this.#label} is plugged in but offers neither a POS scanner (usage page 0x8C) nor a keyboard interface.`);
    } else if (this.#everSeen) {
      this.#events.setStatus('disconnected', `HID scanner ${this.#label} unplugged; waiting for it.`);
    } else {
      this.#events.setStatus('disconnected', `Waiting for HID scanner ${this.#label} (not plugged in).`);
    }
  }

  #attach(path: string, connection: HidConnection, mode: ReportMode): void {
    const device = { connection, mode };
    const read = mode === 'pos' ? posReader() : keyboardReader(this.#suffix);
    this.#open.set(path, device);
    connection.on('data', (report) => {
      if (this.#open.get(path) !== device) return;
      for (const scan of read(report)) {
        this.#events.emitScan({ source: 'hid', device: this.id, ...scan, at: this.#events.now().toISOString() });
      }
    });
    connection.on('error', (err) => {
      if (this.#open.get(path) !== device) return;
      this.#close(path);
      this.#events.setStatus('disconnected', `HID scanner ${this.#label} at ${path} stopped reading (${message(err)}); waiting for it.`);
    });
  }

  #close(path: string): void {
    const device = this.#open.get(path);
    this.#open.delete(path);
    try {
      device?.connection.close();
    } catch {
      // Closing a device that is already gone can fail; it is closed either way.
    }
  }
}

/** Which hidraw nodes to read, and how: POS interfaces when the scanner has any (its keyboard interface
 *  would type every scan a second time), else its keyboard interface. Keyed by path: hidapi lists a node
 *  once per top-level collection. */
function readableInterfaces(listed: HidDeviceInfo[]): Map<string, ReportMode> {
  const withPath = listed.filter((d): d is HidDeviceInfo & { path: string } => !!d.path);
  const pos = withPath.filter((d) => d.usagePage === POS_USAGE_PAGE);
  const chosen: Array<[string, ReportMode]> = pos.length > 0
    ? pos.map((d) => [d.path, 'pos'])
    : withPath.filter((d) => d.usagePage === GENERIC_DESKTOP && d.usage === KEYBOARD_USAGE).map((d) => [d.path, 'keyboard']);
  return new Map(chosen);
}

function posReader(): ReportReader {
  const joiner = new PosScanJoiner();
  return (report) => {
    const scan = joiner.push(report);
    return scan ? [scan] : [];
  };
}

function keyboardReader(suffix: string | undefined): ReportReader {
  const decoder = new BootKeyboardDecoder();
  const assembler = new KeyScanAssembler({ suffix });
  let reports: Uint8Array[] = [];
  return (report) => {
    const transitions = decoder.transitions(report);
    // raw: the reports of this scan, from the first one that presses a key (not the last scan's key-ups).
    if (reports.length > 0 || transitions.some((t) => t.value === 1)) reports.push(Uint8Array.from(report));
    const scans = [];
    for (const { code, value } of transitions) {
      const scan = assembler.key(code, value);
      if (!scan) continue;
      scans.push({ text: scan.text, symbology: null, raw: concatBytes(reports) });
      reports = [];
    }
    return scans;
  };
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
