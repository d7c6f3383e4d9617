// The status and listener bookkeeping every scan source shares: one current DeviceStatus, notified only
// when it changes, and scans fanned out to listeners. A throwing listener must not stop a read loop, so
// its error goes to stderr (the service journal) and the other listeners still run.
import type { DeviceState, DeviceStatus, StatusListener } from '../device-status.ts';
import type { DeviceScan, ScanListener } from './scan-source.ts';

export interface SourceIdentity {
  id: string;
  kind: string;
  simulated: boolean;
}

export class SourceEvents {
  readonly #now: () => Date;
  readonly #scanListeners: ScanListener[] = [];
  readonly #statusListeners: StatusListener[] = [];
  #status: DeviceStatus;
  #silenced = false;

  constructor(identity: SourceIdentity, initial: { state: DeviceState; detail: string }, now: () => Date) {
    this.#now = now;
    this.#status = { ...identity, ...initial, since: now().toISOString() };
  }

  status(): DeviceStatus {
    return { ...this.#status };
  }

  setStatus(state: DeviceState, detail: string): void {
    if (state === this.#status.state && detail === this.#status.detail) return;
    this.#status = { ...this.#status, state, detail, since: this.#now().toISOString() };
    if (this.#silenced) return;
    for (const listener of this.#statusListeners) callSafely(listener, this.status());
  }

  emitScan(scan: DeviceScan): void {
    if (this.#silenced) return;
    for (const listener of this.#scanListeners) callSafely(listener, scan);
  }

  onScan(listener: ScanListener): void {
    this.#scanListeners.push(listener);
  }

  onStatus(listener: StatusListener): void {
    this.#statusListeners.push(listener);
  }

  /** After stop(): the status still updates for status(), but nobody is called any more. */
  silence(): void {
    this.#silenced = true;
  }

  now(): Date {
    return this.#now();
  }
}

function callSafely<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (err) {
    console.error('device listener failed:', err);
  }
}
