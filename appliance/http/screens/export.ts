// The audit export screen (admin): the inserted sticks, Export (with an optional database backup), the
// progress and the outcome of a running export, when the last one was written and whether one is due.
import { formatBytes } from '../../export/durable-files.ts';
import { ensureDeviceKey } from '../../secrets.ts';
import type { AuditExportInfo, ExportData } from '../../../ui/view-types.ts';
import type { ScreenContext, ScreenSpec } from './spec.ts';

const DAY_MS = 86_400_000;

/** "Audit export due" when the last verified export is older than the configured days, or there is none. */
export function auditExportInfo(c: ScreenContext): AuditExportInfo {
  const last = c.app.state().lastExport;
  const dueDays = c.config.exportDueDays;
  const due = !last || c.app.now().getTime() - Date.parse(last.at) > dueDays * DAY_MS;
  return { lastAt: last?.at ?? null, lastBundle: last?.bundle ?? null, due, dueDays };
}

export function exportScreen(c: ScreenContext): ScreenSpec {
  const data: ExportData = {
    sticks: (c.devices.media?.sticks() ?? []).map((s) => ({ label: s.label, mountPoint: s.mountPoint, fsType: s.fsType, readOnly: s.readOnly, free: formatBytes(s.freeBytes) })),
    audit: auditExportInfo(c),
    deviceId: c.app.store.deviceId,
    fingerprint: ensureDeviceKey(c.app.config.dataDir).fingerprint,
    events: c.app.store.head().seq,
    status: c.devices.list().find((d) => d.id === 'export') ?? null,
    simulator: c.devices.simulator !== null,
  };
  return { screen: 'admin-export', title: 'Audit export', tag: 'export-screen', data };
}
