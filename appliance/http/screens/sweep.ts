// Screen 7, inventory sweep: choose a case (or the whole cage), then scan what is physically in it against its slot grid.
// The choice shows when each case was last swept and is next due, today's proposal and the sweeps left open;
// the sweep screen starts (or resumes) the sweep through the command API once it is in the browser, and shows
// here, before anything is sent, the rules' refusal when another operator has it open.
import { DomainError } from '../../domain/errors.ts';
import { findCase } from '../../domain/state.ts';
import type { Case, CageState } from '../../domain/types.ts';
import type { SweepCase, SweepChoiceData, SweepData } from '../../../ui/view-types.ts';
import { casesQuery, sweepScheduleQuery } from '../../queries.ts';
import { refusalOf } from '../dry-run.ts';
import { fromCradle } from './cradle.ts';
import { actorOf, notice, type ScreenContext, type ScreenSpec } from './spec.ts';

const CAGE = 'CAGE';

export function sweepChoiceScreen(c: ScreenContext): ScreenSpec {
  const state = c.app.state();
  const schedule = sweepScheduleQuery(state, c.app.now(), c.app.config.custody.sweepIntervalDays);
  const planned = new Map(schedule.cases.map((k) => [k.label, k]));
  const cage = state.openSweeps.get(CAGE);
  const data: SweepChoiceData = {
    cases: casesQuery(state).cases.map((k) => {
      const plan = planned.get(k.label)!;
      return {
        label: k.label, slots: k.slots, occupied: k.occupied, lastSwept: plan.last_swept, nextDue: plan.next_due, due: plan.due, daysBehind: plan.days_behind,
        today: schedule.today.includes(k.label), openBy: plan.open_by,
      };
    }),
    cageOpenBy: cage ? state.operators.get(cage.operator)?.name ?? cage.operator : null,
    intervalDays: schedule.interval_days,
  };
  return { screen: 'sweep-choice', title: 'Inventory sweep', tag: 'sweep-choice-screen', data };
}

/** Whether this operator may sweep the scope now (the rules' sentence if not), and their own open sweep of it. */
function session(c: ScreenContext, box: Case | null): Pick<SweepData, 'refusal' | 'open' | 'admin'> {
  const state = c.app.state();
  const refusal = c.operator ? refusalOf(c.app, actorOf(c.operator), box === null ? { type: 'StartSweep', cage: true } : { type: 'StartSweep', case: box.label }) : null;
  const own = state.openSweeps.get(box?.key ?? CAGE);
  return { refusal, open: !refusal && own && own.operator === c.operator?.id ? { startedAt: own.startedAt } : null, admin: c.operator?.role === 'admin' };
}

export function sweepScreen(c: ScreenContext, label: string, cradleBatch?: string): ScreenSpec {
  const state = c.app.state();
  let box;
  try {
    box = findCase(state, label);
  } catch (err) {
    if (err instanceof DomainError) return notice('Unknown case', err.message, 404);
    throw err;
  }
  const data: SweepData = { case: box.label, cases: [sweepCase(state, box)], cradle: fromCradle(c, cradleBatch), ...session(c, box) };
  return { screen: 'sweep', title: `Sweep ${box.label}`, tag: 'sweep-screen', data };
}

/** The whole cage at once: every case's grid. */
export function sweepCageScreen(c: ScreenContext, cradleBatch?: string): ScreenSpec {
  const state = c.app.state();
  const cases = [...state.cases.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  const data: SweepData = { case: null, cases: cases.map((box) => sweepCase(state, box)), cradle: fromCradle(c, cradleBatch), ...session(c, null) };
  return { screen: 'sweep', title: 'Sweep the whole cage', tag: 'sweep-screen', data };
}

function sweepCase(state: CageState, box: Case): SweepCase {
  return {
    label: box.label,
    slots: Array.from({ length: box.slots }, (_, i) => {
      const key = state.slots.get(`${box.key}/${i + 1}`);
      return { n: i + 1, slot: `${box.label}/${i + 1}`, tag: key ? state.assets.get(key)!.tag : null };
    }),
  };
}
