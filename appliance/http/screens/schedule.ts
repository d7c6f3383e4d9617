// Return dates and the sweep schedule as the idle screen and the dashboard show them: read from the
// appliance's own queries (overdueQuery, sweepScheduleQuery), never re-derived here.
import { addDays, localDate } from '../../domain/receipts.ts';
import type { CageState } from '../../domain/types.ts';
import { overdueQuery, sweepScheduleQuery } from '../../queries.ts';
import type { DueInfo, DueItem, SweepPlan } from '../../../ui/view-types.ts';
import type { ScreenContext } from './spec.ts';

type Overdue = ReturnType<typeof overdueQuery>;

/** Overdue and due-today assets, each list cut to `limit` (the counts say how many in all). */
export function dueInfo(c: ScreenContext, limit: number): DueInfo {
  return dueInfoOf(overdueQuery(c.app.state(), c.app.now(), c.config.overdueDays), limit, c.config.overdueDays);
}

export function dueInfoOf(q: Overdue, limit: number, overdueDays: number): DueInfo {
  const item = (a: Overdue['assets'][number]): DueItem => ({
    tag: a.tag, holder: a.holder, days: a.overdue_days ?? 0,
    // issued before return dates existed: due the configured days after it went out
    due: a.due && a.due !== 'open' ? a.due : addDays(localDate(a.since), overdueDays),
  });
  return {
    overdue: q.assets.slice(0, limit).map(item), overdueCount: q.assets.length,
    dueToday: q.due_today.slice(0, limit).map(item), dueTodayCount: q.due_today.length,
    byHolder: q.by_holder.slice(0, limit).map((h) => ({ id: h.id, name: h.name, overdue: h.overdue, dueToday: h.due_today })),
  };
}

/** Today's proposed sweep, the cases behind, and the sweeps left open (the viewer's own marked). */
export function sweepPlan(c: ScreenContext): SweepPlan {
  const state = c.app.state();
  const schedule = sweepScheduleQuery(state, c.app.now(), c.app.config.custody.sweepIntervalDays);
  return { today: schedule.today, behind: schedule.behind, intervalDays: schedule.interval_days, open: openSweeps(state, c.operator?.id ?? null) };
}

export function openSweeps(state: CageState, viewer: string | null): SweepPlan['open'] {
  return [...state.openSweeps.values()]
    .sort((a, b) => a.startedSeq - b.startedSeq)
    .map((o) => ({
      label: o.label, href: o.scope === 'CAGE' ? '/sweep-cage' : `/sweep/${encodeURIComponent(o.label)}`,
      by: state.operators.get(o.operator)?.name ?? o.operator, mine: o.operator === viewer,
    }));
}

