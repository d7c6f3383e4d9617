// How every device reports whether it works: one shape for the status screen, the JSON API and the logs.

export type DeviceState = 'connected' | 'disconnected' | 'error' | 'not-present' | 'busy';

export interface DeviceStatus {
  /** Stable id, e.g. "wedge:/dev/input/by-id/usb-Scanner-event-kbd", "hid:05e0:1200", "cradle", "gpio". */
  id: string;
  /** What it is, for people: "Keyboard-wedge scanner", "OPN-2004 cradle", "GPIO feedback". */
  kind: string;
  state: DeviceState;
  /** One sentence for the status screen: why it is in error, what it is doing, where it is. */
  detail: string;
  simulated: boolean;
  /** ISO time of the last change. */
  since: string;
  /** How far a long job has got (an upload, an export), for a progress bar. */
  progress?: { done: number; total: number };
}

export type StatusListener = (status: DeviceStatus) => void;
