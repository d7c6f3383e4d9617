// The USB line of the status screen, in words: which sticks are in, where, how much room is left, and
// which one cannot be read. Pure, so every wording is tested without a stick.
import type { DeviceState } from '../device-status.ts';
import type { StickMount } from './mountinfo.ts';

export const USB_STATUS_ID = 'usb';
export const USB_KIND = 'USB stick';
export const SIMULATED_FS_TYPE = 'simulated';

/** The sizes statfs gives; only these three are used. */
export interface StickSpace {
  freeBytes: number;
  totalBytes: number;
}

/** A stick that is mounted but whose file system does not answer (EIO, ENOTCONN after a pull). */
export interface StickFault {
  mount: StickMount;
  /** The error code ("ENOTCONN"), or the message when there is none. */
  code: string;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * Bytes for people, in 1024 steps like the store's own free-space line: "512 B", "3.2 GB", "15 GB".
 * One decimal below 10 units, whole numbers from 10 on.
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // Rounding up to 1024 would read "1024 MB": move to the next unit instead.
  if (unit < UNITS.length - 1 && Math.round(value) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  return `${text} ${UNITS[unit]}`;
}

/** "EXPORT-Q3 (vfat) at /media/EXPORT-Q3: read-only, 3.2 GB free" */
export function describeStick(stick: StickMount & StickSpace): string {
  return `${stick.label} (${stick.fsType}) at ${stick.mountPoint}: ${stick.readOnly ? 'read-only, ' : ''}${formatBytes(stick.freeBytes)} free`;
}

function describeFault(fault: StickFault): string {
  return `${fault.mount.label} at ${fault.mount.mountPoint} cannot be read (${fault.code}); remove it and insert it again.`;
}

export interface MediaStatus {
  state: DeviceState;
  detail: string;
  simulated: boolean;
}

/**
 * The status for what one poll found. `simulatorAttached`: the watcher runs with simulated media (no
 * hardware), so "no stick" is a simulated state too; with sticks present, simulated means all of them are.
 */
export function mediaStatus(sticks: readonly (StickMount & StickSpace)[], faults: readonly StickFault[], simulatorAttached: boolean): MediaStatus {
  const all = [...sticks.map((s) => s.fsType), ...faults.map((f) => f.mount.fsType)];
  const simulated = all.length === 0 ? simulatorAttached : all.every((fsType) => fsType === SIMULATED_FS_TYPE);
  const listed = sticks.map(describeStick);
  if (faults.length > 0) {
    const also = listed.length > 0 ? ` Also: ${listed.join('; ')}` : '';
    return { state: 'error', detail: `${faults.map(describeFault).join(' ')}${also}`, simulated };
  }
  if (sticks.length === 0) return { state: 'not-present', detail: 'No USB stick inserted.', simulated };
  if (sticks.length === 1) return { state: 'connected', detail: listed[0]!, simulated };
  return { state: 'connected', detail: `${sticks.length} USB sticks: ${listed.join('; ')}`, simulated };
}
