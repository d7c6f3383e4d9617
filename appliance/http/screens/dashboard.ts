// Screen 8, dashboard: who holds what, overdue and missing lists, case occupancy as slot tiles, and issued
// against in storage over the last 30 days (drawn as SVG on the server).
import { keyOfSlotText } from '../../domain/state.ts';
import type { DashboardData } from '../../../ui/view-types.ts';
import { counts } from '../screen-data.ts';
import { daysSince } from '../views.ts';
import { overdueQuery } from '../../queries.ts';
import { dueInfoOf } from './schedule.ts';
import type { ScreenContext, ScreenSpec } from './spec.ts';

export const CHART_DAYS = 30;
/** The dashboard lists at most this many overdue (and due-today) assets and holders; the counts are the whole. */
export const DASHBOARD_LIST = 100;

export function dashboardData(c: ScreenContext): DashboardData {
  const state = c.app.state();
  const now = c.app.now();
  const byHolder = new Map<string, { count: number; maxDays: number }>();
  const missing: DashboardData['missing'] = [];
  const homeOfIssued = new Set<string>();
  for (const a of state.assets.values()) {
    if (a.missing) missing.push({ tag: a.tag, slot: a.slot, home: a.home });
    if (a.state !== 'issued' || !a.holderId) continue;
    if (a.home) homeOfIssued.add(keyOfSlotText(a.home));
    const days = daysSince(a.since, now);
    const h = byHolder.get(a.holderId) ?? { count: 0, maxDays: 0 };
    h.count += 1;
    h.maxDays = Math.max(h.maxDays, days);
    byHolder.set(a.holderId, h);
  }
  const overdueNow = overdueQuery(state, now, c.config.overdueDays);
  const due = dueInfoOf(overdueNow, DASHBOARD_LIST, c.config.overdueDays);
  const overdueOf = new Map(overdueNow.by_holder.map((h) => [h.id, h.overdue]));
  const holdings = [...byHolder].map(([id, h]) => {
    const holder = state.holders.get(id);
    return { id, name: holder?.name ?? id, org: holder?.org ?? '', count: h.count, maxDays: h.maxDays, overdue: overdueOf.get(id) ?? 0 };
  }).sort((a, b) => b.count - a.count || b.maxDays - a.maxDays || a.name.localeCompare(b.name));
  const cases = [...state.cases.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true })).map((box) => ({
    label: box.label,
    slots: Array.from({ length: box.slots }, (_, i) => {
      const key = `${box.key}/${i + 1}`;
      const asset = state.assets.get(state.slots.get(key) ?? '');
      const state_: DashboardData['cases'][number]['slots'][number]['state'] = !asset
        ? (homeOfIssued.has(key) ? 'out' : 'empty')
        : asset.home && keyOfSlotText(asset.home) === key ? 'home' : 'away';
      return { n: i + 1, tag: asset?.tag ?? null, state: state_ };
    }),
  }));
  return {
    counts: counts(c.app, c.config),
    overdueDays: c.config.overdueDays,
    holdings,
    due,
    returnsByOthers: state.returnsByOthers.slice(0, 20).map((r) => ({ seq: r.seq, at: r.at, tag: r.tag, holder: r.holder, by: r.by })),
    missing: missing.sort((a, b) => a.tag.localeCompare(b.tag)),
    cases,
    series: c.custody.series(CHART_DAYS, now),
  };
}

export function dashboardScreen(c: ScreenContext): ScreenSpec {
  return { screen: 'dashboard', title: 'Dashboard', tag: 'dashboard-screen', data: dashboardData(c) };
}
