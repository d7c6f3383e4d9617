// The two-person rule: configured actions (retire, restore, correction, registering an admin, changing the
// terms text) need a second, different admin, whose badge and PIN the appliance checked before decide().
// The rule is in force only while at least two active admins exist, so a new box can enrol its second one.
import { refuse } from './errors.ts';
import type { CageState, DecideContext } from './types.ts';

export const TWO_PERSON_ACTIONS = ['retire', 'restore', 'correction', 'admin', 'terms'] as const;

export function activeAdmins(state: CageState): number {
  return [...state.operators.values()].filter((o) => o.active && o.role === 'admin').length;
}

/** Whether the rule applies now, and if not, why (the admin screen says it plainly). */
export function twoPersonInForce(state: CageState): { inForce: boolean; why: string } {
  const n = activeAdmins(state);
  return n >= 2
    ? { inForce: true, why: `${n} active admins: the actions named in ASSETTRACK_TWO_PERSON need a second admin's badge and PIN.` }
    : { inForce: false, why: `Only ${n} active admin${n === 1 ? '' : 's'}: the two-person rule starts once a second admin is enrolled.` };
}

/**
 * Refuses unless a second admin confirmed `action` (when the rule names it and is in force). Returns the
 * data to record: `{second_operator: id}`, or nothing when the rule did not apply.
 */
export function requireSecondAdmin(state: CageState, ctx: DecideContext, action: string, what: string): { second_operator?: string } {
  const rules = ctx.custody;
  if (!rules || !rules.twoPerson.includes(action) || activeAdmins(state) < 2) return ctx.second ? checkedSecond(state, ctx) : {};
  if (!ctx.second) {
    refuse('SECOND_ADMIN_REQUIRED', `${what} needs a second admin: another admin confirms with their badge and PIN.`, { action });
  }
  return checkedSecond(state, ctx);
}

function checkedSecond(state: CageState, ctx: DecideContext): { second_operator: string } {
  const second = state.operators.get(ctx.second!.id);
  if (!second || !second.active || second.role !== 'admin') refuse('SECOND_ADMIN_INVALID', 'The second person must be an active admin.');
  if (ctx.actor.kind === 'operator' && ctx.actor.id === second.id) refuse('SECOND_ADMIN_SAME', 'The second admin must be a different person from the one confirming.');
  return { second_operator: second.id };
}
