// Screen 7, inventory sweep: choose a case (or the whole cage), then scan what is physically in it against its slot grid.
import { DomainError } from '../../domain/errors.ts';
import { findCase } from '../../domain/state.ts';
import type { Case, CageState } from '../../domain/types.ts';
import type { SweepCase, SweepChoiceData, SweepData } from '../../../ui/view-types.ts';
import { casesQuery } from '../../queries.ts';
import { fromCradle } from './cradle.ts';
import { notice, type ScreenContext, type ScreenSpec } from './spec.ts';

export function sweepChoiceScreen(c: ScreenContext): ScreenSpec {
  const data: SweepChoiceData = { cases: casesQuery(c.app.state()).cases.map((k) => ({ label: k.label, slots: k.slots, occupied: k.occupied })) };
  return { screen: 'sweep-choice', title: 'Inventory sweep', tag: 'sweep-choice-screen', data };
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
  const data: SweepData = { case: box.label, cases: [sweepCase(state, box)], cradle: fromCradle(c, cradleBatch) };
  return { screen: 'sweep', title: `Sweep ${box.label}`, tag: 'sweep-screen', data };
}

/** The whole cage at once: every case's grid. */
export function sweepCageScreen(c: ScreenContext, cradleBatch?: string): ScreenSpec {
  const state = c.app.state();
  const cases = [...state.cases.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  const data: SweepData = { case: null, cases: cases.map((box) => sweepCase(state, box)), cradle: fromCradle(c, cradleBatch) };
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
