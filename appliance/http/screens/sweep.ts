// Screen 7, inventory sweep: choose a case, then scan what is physically in it against its slot grid.
import { DomainError } from '../../domain/errors.ts';
import { findCase } from '../../domain/state.ts';
import type { SweepChoiceData, SweepData } from '../../../ui/view-types.ts';
import { casesQuery } from '../../queries.ts';
import { notice, type ScreenContext, type ScreenSpec } from './spec.ts';

export function sweepChoiceScreen(c: ScreenContext): ScreenSpec {
  const data: SweepChoiceData = { cases: casesQuery(c.app.state()).cases.map((k) => ({ label: k.label, slots: k.slots, occupied: k.occupied })) };
  return { screen: 'sweep-choice', title: 'Inventory sweep', tag: 'sweep-choice-screen', data };
}

export function sweepScreen(c: ScreenContext, label: string): ScreenSpec {
  const state = c.app.state();
  let box;
  try {
    box = findCase(state, label);
  } catch (err) {
    if (err instanceof DomainError) return notice('Unknown case', err.message, 404);
    throw err;
  }
  const data: SweepData = {
    case: box.label,
    slots: Array.from({ length: box.slots }, (_, i) => {
      const key = state.slots.get(`${box.key}/${i + 1}`);
      return { n: i + 1, slot: `${box.label}/${i + 1}`, tag: key ? state.assets.get(key)!.tag : null };
    }),
  };
  return { screen: 'sweep', title: `Sweep ${box.label}`, tag: 'sweep-screen', data };
}
