// Watches for USB sticks: polls the mount table for mounts below the configured roots (the image mounts
// sticks at /media/<label>, see README.md), asks statfs how much room each has, and reports sticks coming
// and going. Polling, not inotify: mountinfo changes raise no inotify event, and once a second is plenty
// for a person walking up with a stick.
//
// A stick that is in the mount table but does not answer statfs (ENOTCONN when its FUSE process died,
// EIO when the stick was pulled without ejecting) is not usable: it counts as removed, and the status says
// which one and why until it is unmounted. Nothing here throws out of a timer.
import { readFileSync, statfsSync } from 'node:fs';
import type { DeviceStatus, StatusListener } from '../device-status.ts';
import { byLabelLookup } from './disk-labels.ts';
import { USB_KIND, USB_STATUS_ID, mediaStatus, type StickFault } from './media-status.ts';
import { parseMountinfo, sticksUnder, type LabelLookup, type StickMount } from './mountinfo.ts';

export const DEFAULT_USB_ROOTS: readonly string[] = ['/media', '/run/media'];
export const DEFAULT_USB_POLL_MS = 1000;
export const MOUNTINFO_PATH = '/proc/self/mountinfo';

export interface Stick extends StickMount {
  /** Bytes an unprivileged writer may still use (bavail * bsize). */
  freeBytes: number;
  totalBytes: number;
}

/** The part of fs.statfsSync's answer that is used. */
export interface StatfsResult {
  bsize: number;
  blocks: number;
  bavail: number;
}

export type Statfs = (path: string) => StatfsResult;

export interface MediaChange {
  inserted: Stick[];
  removed: StickMount[];
  /** Every usable stick after the change. */
  sticks: Stick[];
}

export type MediaChangeListener = (change: MediaChange) => void;

export interface RemovableMediaOptions {
  /** Directories whose sub-mounts are sticks; DEFAULT_USB_ROOTS is what the image uses. */
  roots: readonly string[];
  /** Default 1000 ms. */
  pollMs?: number;
  /** Default reads /proc/self/mountinfo. */
  readMountinfo?: () => string;
  /** Default fs.statfsSync. */
  statfs?: Statfs;
  /** Default: the links in /dev/disk/by-label. */
  labelOf?: LabelLookup;
  /** Sticks from outside the mount table (SimulatedMedia.mounts); their presence marks the status simulated. */
  extraMounts?: () => StickMount[];
  now?: () => Date;
}

/** Free and total bytes of one mounted stick; throws what statfs throws. */
export function measureStick(mount: StickMount, statfs: Statfs = statfsSync): Stick {
  const fs = statfs(mount.mountPoint);
  return { ...mount, freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/** What tells two mounts apart: a remount read-only or another stick on the same path is a new stick. */
function mountKey(mount: StickMount): string {
  return JSON.stringify([mount.mountPoint, mount.device, mount.fsType, mount.readOnly, mount.label]);
}

function callSafely<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (err) {
    console.error('device listener failed:', err);
  }
}

export class RemovableMediaWatcher {
  readonly #roots: readonly string[];
  readonly #pollMs: number;
  readonly #readMountinfo: () => string;
  readonly #statfs: Statfs;
  readonly #labelOf: LabelLookup;
  readonly #extraMounts: (() => StickMount[]) | undefined;
  readonly #now: () => Date;
  readonly #changeListeners = new Set<MediaChangeListener>();
  readonly #statusListeners: StatusListener[] = [];
  /** Labels by source device, looked up once per device while it stays mounted. */
  readonly #labels = new Map<string, string | null>();
  #current = new Map<string, Stick>();
  #status: DeviceStatus;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(options: RemovableMediaOptions) {
    this.#roots = [...options.roots];
    this.#pollMs = options.pollMs ?? DEFAULT_USB_POLL_MS;
    this.#readMountinfo = options.readMountinfo ?? (() => readFileSync(MOUNTINFO_PATH, 'utf8'));
    this.#statfs = options.statfs ?? statfsSync;
    this.#labelOf = options.labelOf ?? byLabelLookup();
    this.#extraMounts = options.extraMounts;
    this.#now = options.now ?? (() => new Date());
    const initial = mediaStatus([], [], this.#extraMounts !== undefined);
    this.#status = { id: USB_STATUS_ID, kind: USB_KIND, ...initial, detail: 'Not looking for USB sticks yet.', since: this.#now().toISOString() };
  }

  /** Looks once right away (sticks already in are reported inserted), then every pollMs. */
  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#poll();
    this.#timer = setInterval(() => this.#poll(), this.#pollMs);
    this.#timer.unref();
  }

  /** Stops polling; no listener is called after it. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The usable sticks now, with fresh free space (looks again; listeners hear of any change). */
  sticks(): Stick[] {
    return this.#poll();
  }

  /** Called with what changed after each poll that changed something; returns the unsubscribe. */
  onChange(listener: MediaChangeListener): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  status(): DeviceStatus {
    return { ...this.#status };
  }

  onStatus(listener: StatusListener): void {
    this.#statusListeners.push(listener);
  }

  #mounts(): StickMount[] {
    const inTable = sticksUnder(parseMountinfo(this.#readMountinfo()), this.#roots, (device) => this.#label(device));
    // Forget labels of devices that left, so the next stick on /dev/sda1 is looked up afresh.
    const devices = new Set(inTable.map((m) => m.device));
    for (const device of this.#labels.keys()) if (!devices.has(device)) this.#labels.delete(device);
    return [...inTable, ...(this.#extraMounts?.() ?? [])];
  }

  #label(device: string): string | null {
    if (!this.#labels.has(device)) this.#labels.set(device, this.#labelOf(device));
    return this.#labels.get(device) ?? null;
  }

  #poll(): Stick[] {
    let mounts: StickMount[];
    try {
      mounts = this.#mounts();
    } catch (error) {
      // Without the mount table nothing is known: keep the last sticks, say why.
      this.#setStatus({ state: 'error', detail: `Cannot read the mount table (${errorCode(error)}).`, simulated: this.#status.simulated });
      return [...this.#current.values()];
    }
    const next = new Map<string, Stick>();
    const faults: StickFault[] = [];
    for (const mount of mounts) {
      try {
        next.set(mountKey(mount), measureStick(mount, this.#statfs));
      } catch (error) {
        faults.push({ mount, code: errorCode(error) });
      }
    }
    const inserted = [...next].filter(([key]) => !this.#current.has(key)).map(([, stick]) => stick);
    const removed = [...this.#current].filter(([key]) => !next.has(key)).map(([, stick]) => toMount(stick));
    this.#current = next;
    const sticks = [...next.values()];
    if ((inserted.length > 0 || removed.length > 0) && !this.#stopped) {
      for (const listener of [...this.#changeListeners]) callSafely(listener, { inserted, removed, sticks: [...sticks] });
    }
    this.#setStatus(mediaStatus(sticks, faults, this.#extraMounts !== undefined));
    return sticks;
  }

  #setStatus(next: { state: DeviceStatus['state']; detail: string; simulated: boolean }): void {
    const s = this.#status;
    if (s.state === next.state && s.detail === next.detail && s.simulated === next.simulated) return;
    this.#status = { ...s, ...next, since: this.#now().toISOString() };
    if (this.#stopped) return;
    for (const listener of this.#statusListeners) callSafely(listener, this.status());
  }
}

function toMount(stick: Stick): StickMount {
  return { mountPoint: stick.mountPoint, device: stick.device, fsType: stick.fsType, readOnly: stick.readOnly, label: stick.label };
}
