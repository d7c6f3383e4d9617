// Watches for the OPN-2004 being docked, runs one session per docking, and reports it as a DeviceStatus.
// The real watcher polls for Opticon's USB vendor id (or a pinned path); the simulated one is docked by
// hand (the kiosk's developer panel) and talks to a CradleSimulator through the same driver.
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { DeviceState, DeviceStatus, StatusListener } from '../device-status.ts';
import {
  CradleSessionError,
  runCradleSession,
  type CommitResult,
  type CradleProgress,
  type CradleSessionOptions,
  type CradleSessionResult,
  type CradleUpload,
} from './driver.ts';
import { createLinkPair, openSerialLink, type CradleLink } from './link.ts';
import { CradleSimulator, sampleRecords, type CradleSimulatorOptions, type SimulatedRecord } from './simulator.ts';

export const OPTICON_VENDOR_ID = '065a';
export const CRADLE_STATUS_ID = 'cradle';
export const CRADLE_KIND = 'OPN-2004 cradle';
export const DEFAULT_POLL_MS = 2000;
/** Busy updates while uploading come per read; the screen needs a few a second at most. */
const PROGRESS_STATUS_MS = 250;

export interface PortListing {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export type CradleTimeouts = Pick<CradleSessionOptions, 'replyTimeoutMs' | 'firstReplyTimeoutMs' | 'retries' | 'compatibilityDelayMs'>;

export type CradleSessionReport =
  | { ok: true; result: CradleSessionResult }
  | { ok: false; error: CradleSessionError };

export interface CradleWatcherOptions {
  /** Stores an upload durably; the scanner is cleared only after it resolves { committed: true }. */
  commit: (upload: CradleUpload) => Promise<CommitResult>;
  /** Pins the cradle to this port; otherwise it is found by Opticon's vendor id. */
  path?: string | null;
  pollMs?: number;
  timeouts?: CradleTimeouts;
  now?: () => Date;
  /** Default SerialPort.list (needs udev on Linux). */
  listPorts?: () => Promise<PortListing[]>;
  /** Default openSerialLink. */
  openLink?: (path: string) => Promise<CradleLink>;
  /** How a pinned path is checked; default fs.existsSync. */
  pathExists?: (path: string) => boolean;
}

export interface CradleWatcher {
  start(): void;
  /** Stops polling and any running session (the link is closed; nothing is cleared). */
  stop(): Promise<void>;
  status(): DeviceStatus;
  onStatus(listener: StatusListener): void;
  onProgress(listener: (progress: CradleProgress) => void): void;
  /** Each finished session: its result, or why it failed. */
  onSession(listener: (report: CradleSessionReport) => void): void;
}

/** The Opticon port among `ports` (vendor id compared case-insensitively), or null. */
export function findCradlePort(ports: readonly PortListing[]): PortListing | null {
  return ports.find((p) => p.vendorId?.toLowerCase() === OPTICON_VENDOR_ID) ?? null;
}

function progressDetail(p: CradleProgress): string {
  const attempt = p.attempt > 1 ? ` (attempt ${p.attempt})` : '';
  switch (p.phase) {
    case 'waking':
      return `Docked: waking the scanner${attempt}`;
    case 'waiting-compatibility':
      return 'Docked: the scanner is switching mode, asking again shortly';
    case 'reading-clock':
      return `Reading the scanner clock${attempt}`;
    case 'setting-clock':
      return `Setting the scanner clock${attempt}`;
    case 'uploading':
      return p.records === 0 ? `Uploading${attempt}` : `Uploading: ${p.records} scan${p.records === 1 ? '' : 's'} received${attempt}`;
    case 'committing':
      return `Storing ${p.records} scan${p.records === 1 ? '' : 's'}`;
    case 'clearing':
      return `Clearing the scanner's memory${attempt}`;
    case 'powering-down':
      return 'Finishing';
  }
}

/** Status, listeners and the running of one session: what both watchers share. */
class SessionReporter {
  private current: DeviceStatus;
  private readonly statusListeners: StatusListener[] = [];
  private readonly progressListeners: ((p: CradleProgress) => void)[] = [];
  private readonly sessionListeners: ((r: CradleSessionReport) => void)[] = [];
  private readonly options: CradleWatcherOptions;
  private readonly simulated: boolean;
  private controller: AbortController | null = null;
  private running: Promise<CradleSessionReport> | null = null;
  private lastCountStatus = -Infinity;
  /** A failed session's sentence stays up until the next docking, so an undock does not wipe it. */
  sticky = false;

  constructor(options: CradleWatcherOptions, simulated: boolean) {
    this.options = options;
    this.simulated = simulated;
    this.current = this.make('not-present', 'Not docked');
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private make(state: DeviceState, detail: string): DeviceStatus {
    return { id: CRADLE_STATUS_ID, kind: CRADLE_KIND, state, detail, simulated: this.simulated, since: this.now().toISOString() };
  }

  get status(): DeviceStatus {
    return this.current;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  set(state: DeviceState, detail: string): void {
    if (this.current.state === state && this.current.detail === detail) return;
    this.current = this.make(state, detail);
    for (const l of this.statusListeners) l(this.current);
  }

  onStatus(l: StatusListener): void {
    this.statusListeners.push(l);
  }

  onProgress(l: (p: CradleProgress) => void): void {
    this.progressListeners.push(l);
  }

  onSession(l: (r: CradleSessionReport) => void): void {
    this.sessionListeners.push(l);
  }

  /** Runs one session over a link that `open` provides; never throws. */
  run(describe: string, open: () => Promise<CradleLink>): Promise<CradleSessionReport> {
    this.sticky = false;
    const controller = (this.controller = new AbortController());
    this.set('busy', 'Docked: waking the scanner');
    const session = (async (): Promise<CradleSessionReport> => {
      let link: CradleLink;
      try {
        link = await open();
      } catch (error) {
        return { ok: false, error: new CradleSessionError('device-error', `Cannot open ${describe}: ${(error as Error).message}.`) };
      }
      try {
        const result = await runCradleSession(link, {
          ...this.options.timeouts,
          commit: this.options.commit,
          ...(this.options.now ? { now: this.options.now } : {}),
          signal: controller.signal,
          onProgress: (p) => this.progress(p),
        });
        return { ok: true, result };
      } catch (error) {
        const e = error instanceof CradleSessionError ? error : new CradleSessionError('device-error', `The cradle session failed: ${(error as Error).message}.`);
        return { ok: false, error: e };
      }
    })();
    this.running = session.then((report) => {
      this.running = null;
      this.controller = null;
      this.finish(report);
      return report;
    });
    return this.running;
  }

  private progress(p: CradleProgress): void {
    for (const l of this.progressListeners) l(p);
    // The first count is shown at once, later counts at most every PROGRESS_STATUS_MS.
    if (p.phase === 'uploading' && p.records > 0) {
      const now = performance.now();
      if (now - this.lastCountStatus < PROGRESS_STATUS_MS) return;
      this.lastCountStatus = now;
    } else {
      this.lastCountStatus = -Infinity;
    }
    this.set('busy', progressDetail(p));
  }

  private finish(report: CradleSessionReport): void {
    if (report.ok) {
      const r = report.result;
      const state: DeviceState = r.outcome === 'cleared' || r.outcome === 'empty' ? 'connected' : 'error';
      this.sticky = state === 'error';
      this.set(state, r.message.replace(/\.$/, ''));
    } else if (report.error.failure !== 'aborted') {
      this.sticky = true;
      this.set(report.error.failure === 'unplugged' ? 'disconnected' : 'error', report.error.message.replace(/\.$/, ''));
    }
    for (const l of this.sessionListeners) l(report);
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running;
  }
}

/** The real cradle: polls for the port, one session per docking. */
export class SerialCradleWatcher implements CradleWatcher {
  private readonly options: CradleWatcherOptions;
  private readonly reporter: SessionReporter;
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** The port of the scanner in the cradle now; a session runs only when this changes from null. */
  private dockedPath: string | null = null;
  private ticking: Promise<void> | null = null;

  constructor(options: CradleWatcherOptions) {
    this.options = options;
    this.reporter = new SessionReporter(options, false);
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.reporter.stop();
    await this.ticking;
  }

  status(): DeviceStatus {
    return this.reporter.status;
  }

  onStatus(listener: StatusListener): void {
    this.reporter.onStatus(listener);
  }

  onProgress(listener: (progress: CradleProgress) => void): void {
    this.reporter.onProgress(listener);
  }

  onSession(listener: (report: CradleSessionReport) => void): void {
    this.reporter.onSession(listener);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        this.schedule(this.pollMs);
      });
    }, ms);
    // The poll alone must not keep a CLI or a test process alive.
    this.timer.unref();
  }

  /** One look for the port; starts a session on a new docking (without waiting for it). */
  private async tick(): Promise<void> {
    if (this.reporter.busy) return;
    let path: string | null;
    try {
      path = await this.findPort();
    } catch (error) {
      this.reporter.set('error', `Cannot look for the cradle: ${(error as Error).message} (serial port listing needs udev)`);
      return;
    }
    if (this.stopped) return;
    if (path === null) {
      this.dockedPath = null;
      if (!this.reporter.sticky) this.reporter.set('not-present', 'Not docked');
      return;
    }
    if (path === this.dockedPath) return;
    this.dockedPath = path;
    const open = this.options.openLink ?? openSerialLink;
    void this.reporter.run(path, () => open(path));
  }

  private async findPort(): Promise<string | null> {
    const pinned = this.options.path;
    if (pinned) return (this.options.pathExists ?? existsSync)(pinned) ? pinned : null;
    const list = this.options.listPorts ?? (() => SerialPort.list());
    return findCradlePort(await list())?.path ?? null;
  }
}

export interface SimulatedCradleWatcherOptions extends Omit<CradleWatcherOptions, 'path' | 'listPorts' | 'openLink' | 'pathExists' | 'pollMs'> {
  /** The simulated scanner (its memory persists between dockings, as a real one's does). */
  simulator?: CradleSimulatorOptions;
  /** How many sample scans to put on the scanner when it is docked with an empty memory and no records. */
  sampleSize?: number;
}

/** The kiosk without hardware: dock() connects a CradleSimulator over an in-memory link and runs the real driver. */
export class SimulatedCradleWatcher implements CradleWatcher {
  readonly scanner: CradleSimulator;
  private readonly reporter: SessionReporter;
  private readonly sampleSize: number;
  private hostLink: CradleLink | null = null;

  constructor(options: SimulatedCradleWatcherOptions) {
    this.reporter = new SessionReporter(options, true);
    this.scanner = new CradleSimulator({ ...(options.now ? { now: options.now } : {}), ...options.simulator });
    this.sampleSize = options.sampleSize ?? 12;
  }

  start(): void {
    /* nothing to poll: dock() is the event */
  }

  async stop(): Promise<void> {
    await this.reporter.stop();
  }

  status(): DeviceStatus {
    return this.reporter.status;
  }

  onStatus(listener: StatusListener): void {
    this.reporter.onStatus(listener);
  }

  onProgress(listener: (progress: CradleProgress) => void): void {
    this.reporter.onProgress(listener);
  }

  onSession(listener: (report: CradleSessionReport) => void): void {
    this.reporter.onSession(listener);
  }

  /**
   * Docks the simulated scanner: `records` are scans made since the last docking (default: a sample set
   * when the scanner is empty). Resolves with the session's report once it has finished.
   */
  async dock(records?: readonly SimulatedRecord[]): Promise<CradleSessionReport> {
    if (this.reporter.busy) throw new Error('The simulated scanner is already docked and uploading.');
    if (records) this.scanner.addRecords(records);
    else if (this.scanner.records.length === 0) this.scanner.addRecords(sampleRecords(this.sampleSize));
    const { host, device } = createLinkPair();
    this.scanner.serve(device);
    this.hostLink = host;
    const report = await this.reporter.run('the simulated cradle', async () => host);
    this.hostLink = null;
    return report;
  }

  /** Pulls the simulated scanner out of the cradle: mid-session that is an unplug, otherwise "Not docked". */
  async undock(): Promise<void> {
    if (this.hostLink) await this.hostLink.close();
    else if (!this.reporter.sticky) this.reporter.set('not-present', 'Not docked');
  }
}
