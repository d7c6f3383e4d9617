// The kiosk's audit export: an admin picks an inserted USB stick and taps Export. The export runs in this
// process while the kiosk keeps working; its progress and its outcome are a device status ("export") on
// the hub, so every open page hears of them over the live stream. After a verified export the data is
// synced already (every file and folder fsynced) and the stick is unmounted where the service may.
import { execFile } from 'node:child_process';
import express, { type Request, type Response } from 'express';
import type { Appliance } from '../appliance.ts';
import { MediaError } from '../export/durable-files.ts';
import { exportBundle, type ExportProgress } from '../export/write-bundle.ts';
import type { DeviceStatus } from '../../device/device-status.ts';
import type { Stick } from '../../device/usb/removable-media.ts';
import type { DeviceHub } from '../intake/device-hub.ts';
import { DomainError } from '../domain/errors.ts';
import { refusal } from '../operations.ts';
import type { KioskConfig } from './kiosk-config.ts';
import type { KioskSessions } from './kiosk-session.ts';
import { fromKiosk } from './security.ts';

export const EXPORT_STATUS_ID = 'export';
const PROGRESS_EVERY_MS = 250;
const STAGE_WORDS: Record<ExportProgress['stage'], string> = {
  events: 'Writing events', files: 'Writing the report and manifest', backup: 'Writing the database backup', verifying: 'Reading the bundle back and verifying it',
};

/** "Exporting: writing events 12,000 of 50,000 (24 %)" — what the progress bar and the idle screen show. */
export function progressText(p: ExportProgress): string {
  if (p.stage !== 'events') return `Exporting: ${STAGE_WORDS[p.stage]}…`;
  const percent = p.total ? Math.floor((100 * p.done) / p.total) : 100;
  return `Exporting: ${STAGE_WORDS.events} ${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} (${percent} %)`;
}

export interface ExportOutcome {
  ok: boolean;
  message: string;
  bundle?: string;
  count?: number;
  head?: { seq: number; hash: string };
  unmounted?: boolean;
}

export function exportRoutes(app: Appliance, kiosk: KioskConfig, sessions: KioskSessions, devices: DeviceHub, unmount: boolean): express.Router {
  const router = express.Router();
  let running: Promise<void> | null = null;
  let last: ExportOutcome | null = null;
  const report = (state: DeviceStatus['state'], detail: string, progress?: ExportProgress) => devices.update({
    id: EXPORT_STATUS_ID, kind: 'Audit export', state, detail, simulated: false, since: new Date().toISOString(),
    ...(progress ? { progress: { done: progress.stage === 'events' ? progress.done : progress.total, total: progress.total } } : {}),
  });

  const run = async (stick: Stick, backup: boolean, actor: Extract<ReturnType<KioskSessions['actorOf']>, object>) => {
    let shown = 0;
    try {
      const result = await exportBundle(app, stick.mountPoint, {
        actor, source: 'touch', backup, overdueDays: kiosk.overdueDays,
        onProgress: (p) => {
          const now = performance.now();
          if (p.stage === 'events' && now - shown < PROGRESS_EVERY_MS && p.done < p.total) return;
          shown = now;
          report('busy', progressText(p), p);
        },
      });
      const unmounted = unmount && stick.fsType !== 'simulated' ? await unmountStick(stick.mountPoint) : false;
      const message = `Export verified: ${result.count.toLocaleString('en-US')} events, head ${result.head.seq} (${result.head.hash.slice(0, 12)}…)` +
        `${result.backup ? ', with a database backup' : ''}. ${unmounted ? 'The stick is unmounted: safe to remove.' : 'Written and synced: safe to remove.'}`;
      last = { ok: true, message, bundle: result.name, count: result.count, head: result.head, unmounted };
      report('connected', message);
    } catch (err) {
      const message = err instanceof MediaError || err instanceof DomainError ? err.message : `The export failed: ${(err as Error).message}`;
      if (!(err instanceof MediaError) && !(err instanceof DomainError)) console.error(err);
      last = { ok: false, message };
      report('error', message);
    }
  };

  router.post('/kiosk/export', (req: Request, res: Response) => {
    const actor = sessions.actorOf(req);
    const refuse = (status: number, code: string, message: string) => res.status(status).json(refusal(new DomainError(code, message)));
    if (!fromKiosk(req)) return refuse(403, 'KIOSK_ONLY', 'The export is started at the kiosk itself (or with "assettrack export DIR" on the box).');
    if (!actor) return refuse(401, 'NOT_SIGNED_IN', 'Sign in as an admin to export.');
    if (actor.role !== 'admin') return refuse(403, 'ADMIN_REQUIRED', 'Only an admin can export the log.');
    if (running) return refuse(409, 'EXPORT_RUNNING', 'An export is already running; wait for it to finish.');
    const body = (req.body ?? {}) as { mount_point?: unknown; backup?: unknown };
    const sticks = devices.media?.sticks() ?? [];
    const stick = sticks.find((s) => s.mountPoint === body.mount_point) ?? (body.mount_point === undefined && sticks.length === 1 ? sticks[0] : undefined);
    if (!stick) return refuse(409, 'NO_STICK', sticks.length ? 'Choose the USB stick to export to.' : 'Insert a USB stick first.');
    if (stick.readOnly) return refuse(409, 'STICK_READ_ONLY', `${stick.label} is read-only: slide its lock switch off, or use another stick.`);
    report('busy', 'Exporting: starting…');
    running = run(stick, body.backup === true, actor).finally(() => { running = null; });
    res.status(202).json({ ok: true, started: true, stick: { label: stick.label, mount_point: stick.mountPoint } });
  });

  router.get('/kiosk/export', (_req, res) => {
    res.set('cache-control', 'no-store').json({ ok: true, running: running !== null, last });
  });

  // The developer panel's simulated stick (ASSETTRACK_SIMULATE=1 only, from the kiosk page only).
  router.post('/kiosk/simulator/stick', (req, res) => {
    if (!devices.simulator) return res.status(404).json(refusal(new DomainError('NOT_SIMULATING', 'Simulated devices are off (ASSETTRACK_SIMULATE=1 turns them on).')));
    if (!fromKiosk(req)) return res.status(403).json(refusal(new DomainError('KIOSK_ONLY', 'Only the kiosk page on this box may insert the simulated stick.')));
    const { action, label } = (req.body ?? {}) as { action?: unknown; label?: unknown };
    const name = typeof label === 'string' && label ? label : 'SIMULATED';
    try {
      if (action === 'remove') return res.json({ ok: true, removed: devices.simulator.removeStick(name) });
      const stick = devices.simulator.insertStick(name);
      res.json({ ok: true, inserted: { label: stick.label, mount_point: stick.mountPoint } });
    } catch (err) {
      res.status(409).json(refusal(new DomainError('SIMULATOR', (err as Error).message)));
    }
  });
  return router;
}

/** umount as the service may (root, or a udisks-style user mount); false when it may not or it is busy. */
function unmountStick(mountPoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('umount', [mountPoint], { timeout: 15_000 }, (err) => resolve(!err));
  });
}
