// One small interface for every scanner the box listens to (keyboard wedge, HID). A source reports scans
// and its connection status; it knows nothing about tags, badges or custody (that is appliance/intake).
import type { DeviceStatus, StatusListener } from '../device-status.ts';

export type ScannerKind = 'wedge' | 'hid';

export interface DeviceScan {
  source: ScannerKind;
  /** The device id of the source that read it (same as its DeviceStatus.id). */
  device: string;
  /** What the scanner sent, before decoding (key codes or HID report payload). */
  raw: Uint8Array;
  /** The decoded text, without the terminator (Enter or the configured suffix). */
  text: string;
  /** Symbology name when the scanner says it (HID POS reports do), else null. */
  symbology: string | null;
  /** ISO time the terminator arrived. */
  at: string;
}

export type ScanListener = (scan: DeviceScan) => void;

export interface ScanSource {
  readonly id: string;
  start(): void;
  /** Stops listening and releases the device; no callbacks after it resolves. */
  stop(): Promise<void>;
  status(): DeviceStatus;
  onScan(listener: ScanListener): void;
  onStatus(listener: StatusListener): void;
}
