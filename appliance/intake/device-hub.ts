// The box's devices as the kiosk and the API see them: the latest status of each, a way to hear changes
// and fresh recordings (so open pages get a device's scan at once, not at the next poll), and (only with
// ASSETTRACK_SIMULATE=1) the developer panel's "dock the simulated cradle".
import type { DeviceStatus } from '../../device/device-status.ts';
import type { Stick } from '../../device/usb/removable-media.ts';

export interface SimulatorControls {
  /** docks the simulated OPN-2004 holding `records` sample scans; resolves when the upload ended */
  dockCradle(records: number): Promise<void>;
  /** "inserts" a simulated USB stick (a folder under the data directory), or pulls it */
  insertStick(label: string): Stick;
  removeStick(label: string): boolean;
}

/** The USB sticks mounted now, fresh free space included. */
export interface MediaSource {
  sticks(): Stick[];
}

export class DeviceHub {
  private readonly statuses = new Map<string, DeviceStatus>();
  private readonly listeners = new Set<(statuses: DeviceStatus[]) => void>();
  private readonly recordedListeners = new Set<() => void>();
  private readonly stoppers: (() => Promise<void> | void)[] = [];
  simulator: SimulatorControls | null = null;
  media: MediaSource | null = null;

  update(status: DeviceStatus): void {
    this.statuses.set(status.id, status);
    const all = this.list();
    for (const listener of this.listeners) listener(all);
  }

  list(): DeviceStatus[] {
    return [...this.statuses.values()];
  }

  onChange(listener: (statuses: DeviceStatus[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Intake recorded something from a device. */
  recorded(): void {
    for (const listener of this.recordedListeners) listener();
  }

  onRecorded(listener: () => void): () => void {
    this.recordedListeners.add(listener);
    return () => this.recordedListeners.delete(listener);
  }

  /** Something to stop (close ports, unexport GPIO) when the server stops. */
  onStop(stop: () => Promise<void> | void): void {
    this.stoppers.push(stop);
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    this.recordedListeners.clear();
    for (const stop of this.stoppers.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        console.error(`A device did not stop cleanly: ${(err as Error).message}`);
      }
    }
  }
}
