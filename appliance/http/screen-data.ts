// Pieces several screens and the live updates share: the counts, the last events, the device lines.
import { statfsSync } from 'node:fs';
import type { Appliance } from '../appliance.ts';
import type { DeviceHub } from '../intake/device-hub.ts';
import { dashboardCounts } from '../queries.ts';
import type { Counts, DeviceLine, FeedItem } from '../../ui/view-types.ts';
import { eventKind, eventText } from './event-text.ts';
import type { KioskConfig } from './kiosk-config.ts';

export function counts(app: Appliance, config: KioskConfig): Counts {
  const c = dashboardCounts(app.state(), app.now(), config.overdueDays);
  return { in_storage: c.in_storage, issued: c.issued, missing: c.missing, overdue: c.overdue };
}

/** The last `n` events that are not taps, newest first, as sentences. */
export function recentEvents(app: Appliance, n: number): FeedItem[] {
  const rows = app.store.db.prepare("SELECT seq FROM events WHERE type <> 'UiAction' ORDER BY seq DESC LIMIT ?").all(n) as { seq: number }[];
  const state = app.state();
  return rows.map(({ seq }) => {
    const e = app.store.event(seq)!;
    return { seq: e.seq, at: e.occurred_at, text: eventText(state, e), kind: eventKind(e.type) };
  });
}

/** Free space where the store lives, in words; null when the system cannot say. */
function freeDisk(dir: string): { text: string; ok: boolean } | null {
  try {
    const fs = statfsSync(dir);
    const gb = (fs.bavail * fs.bsize) / 1024 ** 3;
    return { text: `${gb >= 10 ? Math.round(gb) : gb.toFixed(1)} GB free for the log`, ok: gb >= 1 };
  } catch {
    return null;
  }
}

/** One line per device as it reports itself, then the clock and the disk, which the kiosk reads itself. */
export function deviceLines(app: Appliance, devices: DeviceHub): DeviceLine[] {
  const disk = freeDisk(app.config.dataDir);
  const now = app.now();
  const reported = devices.list().map((d) => ({
    name: d.kind, state: `${d.detail}${d.simulated ? ' (simulated)' : ''}`, ok: d.state === 'connected' || d.state === 'busy',
  }));
  return [
    ...(reported.length > 0 ? reported : [{ name: 'Scanners', state: 'No device listener runs; a keyboard-wedge scanner still works in this browser.', ok: false }]),
    { name: 'Clock', state: `${now.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })} (${Intl.DateTimeFormat().resolvedOptions().timeZone})`, ok: true },
    ...(disk ? [{ name: 'Disk', state: disk.text, ok: disk.ok }] : []),
  ];
}
