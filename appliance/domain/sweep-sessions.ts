// Sweeps that last: an operator starts a sweep of a case (or the whole cage), scans for as long as it
// takes (each scan is an event already), may leave and resume, and finishes it with the one Sweep command
// that records the result. While one is open, another operator's sweep of the same case is refused with
// a sentence naming who has it open. Pure, like decide().
import { refuse } from './errors.ts';
import type { CageState, DecideContext, NewEvent, OpenSweep } from './types.ts';

const CAGE = 'CAGE';

function scopeLabel(state: CageState, caseKey: string | null): string {
  return caseKey === null ? 'the whole cage' : state.cases.get(caseKey)!.label;
}

function operatorName(state: CageState, id: string): string {
  return state.operators.get(id)?.name ?? id;
}

/** The open sweep on this scope (or, for a case, of the whole cage), refused when another operator has it. */
export function refuseIfOpenByOther(state: CageState, ctx: DecideContext, caseKey: string | null): OpenSweep | undefined {
  const me = ctx.actor.kind === 'operator' ? ctx.actor.id : ctx.actor.kind;
  const candidates = caseKey === null ? [...state.openSweeps.values()] : [state.openSweeps.get(caseKey), state.openSweeps.get(CAGE)];
  for (const open of candidates) {
    if (open && open.operator !== me) {
      refuse('SWEEP_OPEN', `${open.label} is being swept by ${operatorName(state, open.operator)} (started ${open.startedAt.slice(11, 16)} UTC); ` +
        'wait until they finish, or ask them (or an admin) to abandon it.', { operator: open.operator, started_seq: open.startedSeq });
    }
  }
  return state.openSweeps.get(caseKey ?? CAGE);
}

/** Starts a sweep, or resumes the caller's own open one (nothing new to record then). */
export function sweepStart(state: CageState, ctx: DecideContext, caseKey: string | null): NewEvent[] {
  const own = refuseIfOpenByOther(state, ctx, caseKey);
  if (own) return [];
  const label = scopeLabel(state, caseKey);
  return [{ type: 'SweepStarted', subject: caseKey === null ? CAGE : state.cases.get(caseKey)!.label, data: { scope: caseKey ?? CAGE, label } }];
}

/** Gives up an open sweep without a result: its own operator, or an admin freeing a forgotten one. */
export function sweepAbandon(state: CageState, ctx: DecideContext, caseKey: string | null, reason?: string): NewEvent[] {
  const open = state.openSweeps.get(caseKey ?? CAGE);
  if (!open) refuse('NO_OPEN_SWEEP', `No sweep of ${scopeLabel(state, caseKey)} is open.`);
  const me = ctx.actor.kind === 'operator' ? ctx.actor.id : '';
  const admin = ctx.actor.kind === 'console' || (ctx.actor.kind === 'operator' && ctx.actor.role === 'admin');
  if (open.operator !== me && !admin) refuse('SWEEP_OPEN', `Only ${operatorName(state, open.operator)} or an admin can abandon this sweep.`);
  return [{ type: 'SweepAbandoned', subject: open.label === 'the whole cage' ? CAGE : open.label, data: { scope: open.scope, started_seq: open.startedSeq, reason: reason?.trim() ?? '' } }];
}
