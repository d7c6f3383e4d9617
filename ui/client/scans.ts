// What a scan does. The screen showing gets it first (handleScan: an issue screen takes a holder badge, a
// return screen a slot label); otherwise an operator badge signs in and any other code opens its page.
// Scans come from the keyboard wedge in this browser, or over live updates from the kiosk's devices.
import { BROWSER_WEDGE_DEVICE, type LiveEvent, type ScanInfo } from '../view-types.ts';
import { command, newKey, post } from './api.ts';
import { pageContext, screenElement } from './context.ts';
import { showMessage } from './messages.ts';

export interface Scan extends ScanInfo {
  seq: number;
}

/** The device name this browser's keyboard-wedge scans are recorded under. */
export const BROWSER_DEVICE = BROWSER_WEDGE_DEVICE;
const DEVICE_SOURCES = new Set(['wedge', 'hid']);
const handled = new Set<number>();
/** Parts of a screen that take scans before the screen does (the second admin's badge prompt), newest first. */
const catchers: ((scan: Scan) => boolean)[] = [];

/** Takes scans before the screen while it is registered; call the returned function to stop. */
export function catchScans(take: (scan: Scan) => boolean): () => void {
  catchers.unshift(take);
  return () => {
    const i = catchers.indexOf(take);
    if (i >= 0) catchers.splice(i, 1);
  };
}

export async function scanFromWedge(text: string): Promise<void> {
  window.dispatchEvent(new Event('kiosk:activity'));
  const answer = await command('scan', { text: `${text}\r`, source: 'wedge', device: BROWSER_DEVICE }, newKey());
  if (!answer.ok) return showMessage(answer.error.message, 'error');
  const scan = answer.scan as Omit<Scan, 'source' | 'device'>;
  handled.add(scan.seq);
  await route({ ...scan, source: 'wedge', device: BROWSER_DEVICE, ref: scan.ref ?? null, reason: scan.reason ?? '' });
}

/** A scan recorded by one of the kiosk's devices, seen over live updates after this page was rendered. */
export function scanFromDevice(live: LiveEvent): void {
  const scan = live.scan;
  if (!scan || live.seq <= pageContext().seq || handled.has(live.seq)) return;
  if (scan.device === BROWSER_DEVICE || !DEVICE_SOURCES.has(scan.source)) return;
  handled.add(live.seq);
  window.dispatchEvent(new Event('kiosk:activity'));
  void route({ ...scan, seq: live.seq });
}

async function route(scan: Scan): Promise<void> {
  if (scan.kind === 'rejected') return showMessage(`Scan rejected: ${scan.reason}.`, 'error');
  if (scan.duplicate) return; // the same code again within the duplicate window: one scan, already acted on
  if (catchers.some((take) => take(scan))) return;
  const screen = screenElement();
  if (screen?.handleScan?.(scan)) return;
  const operator = pageContext().operator;
  if (scan.kind === 'operator') {
    if (operator?.id === scan.ref) return showMessage(`${operator.name} is signed in.`, 'info');
    const answer = await post('/kiosk/session', { scan_seq: scan.seq });
    if (!answer.ok) return showMessage(answer.error.message, 'error');
    return location.assign('/');
  }
  if (!operator) return showMessage('Sign in first: scan your badge.', 'info');
  location.assign(`/find/${encodeURIComponent(scan.value)}`);
}
