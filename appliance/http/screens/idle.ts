// Screens 0 and 1: the first run on an empty store, and the idle screen.
import { isEmptyCage } from '../../seed-demo.ts';
import type { FirstRunData, IdleData } from '../../../ui/view-types.ts';
import { counts, deviceLines, recentEvents } from '../screen-data.ts';
import { pendingBatches } from './cradle.ts';
import { auditExportInfo } from './export.ts';
import { dueInfo, sweepPlan } from './schedule.ts';
import type { ScreenContext, ScreenSpec } from './spec.ts';

/** How many overdue (and due-today) assets the idle screen names; the dashboard lists them all. */
const IDLE_LIST = 4;

export function homeScreen(c: ScreenContext): ScreenSpec {
  if (c.app.state().operators.size === 0) {
    const enrolmentCodeRequired = c.app.enrolmentCodeRequired();
    const data: FirstRunData = { demoAvailable: isEmptyCage(c.app) && !enrolmentCodeRequired, enrolmentCodeRequired };
    return { screen: 'first-run', title: 'Welcome', tag: 'first-run-screen', data };
  }
  const data: IdleData = {
    signedIn: c.operator !== null,
    operatorName: c.operator?.name ?? null,
    admin: c.operator?.role === 'admin',
    counts: counts(c.app, c.config),
    events: recentEvents(c.app, 6),
    devices: deviceLines(c.app, c.devices),
    pendingBatches: pendingBatches(c),
    simulator: c.devices.simulator !== null,
    cradleBusy: c.devices.list().find((d) => d.id === 'cradle' && d.state === 'busy')?.detail ?? null,
    usb: usbLine(c),
    exportStatus: c.devices.list().find((d) => d.id === 'export') ?? null,
    audit: auditExportInfo(c),
    due: dueInfo(c, IDLE_LIST),
    sweepPlan: sweepPlan(c),
  };
  return { screen: 'idle', title: 'AssetTrack', tag: 'idle-screen', data };
}

/** The USB stick line when one is inserted (or one failed), else null. */
function usbLine(c: ScreenContext): string | null {
  const usb = c.devices.list().find((d) => d.id === 'usb');
  return usb && (usb.state === 'connected' || usb.state === 'error') ? usb.detail : null;
}
