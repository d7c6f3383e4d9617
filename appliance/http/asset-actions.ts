// The actions an asset card offers: only those the custody rules accept in the asset's state, for this
// operator. Each is checked with the rules themselves (dry-run); those that need a choice first (a holder,
// a slot, a condition) are checked with a representative choice.
import type { Appliance } from '../appliance.ts';
import { keyOfSlotText } from '../domain/state.ts';
import { CONDITIONS, type Actor, type Asset } from '../domain/types.ts';
import type { AssetAction } from '../../ui/view-types.ts';
import { refusalOf } from './dry-run.ts';
import { emptySlots } from './views.ts';

export function legalActions(app: Appliance, actor: Actor, asset: Asset): AssetAction[] {
  const state = app.state();
  const anyHolder = [...state.holders.values()].find((h) => h.active);
  const anySlot = emptySlots(state)[0];
  const otherCondition = CONDITIONS.find((c) => c !== asset.condition)!;
  const ok = (cmd: Parameters<typeof refusalOf>[2]) => refusalOf(app, actor, cmd) === null;
  const actions: AssetAction[] = [];
  if (anyHolder && ok({ type: 'Issue', tags: [asset.tag], holder: anyHolder.id })) actions.push('issue');
  // A return is legal when the asset is out; if its home is taken the screen offers an empty slot.
  const homeFree = asset.home !== null && !state.slots.has(keyOfSlotText(asset.home));
  if (asset.state === 'issued' && ok({ type: 'Return', tags: [asset.tag], slot: homeFree ? undefined : anySlot })) actions.push('return');
  if (anySlot && ok({ type: 'Move', tag: asset.tag, slot: anySlot })) actions.push('move');
  if (ok({ type: 'MarkMissing', tag: asset.tag })) actions.push('missing');
  if (ok({ type: 'Found', tag: asset.tag })) actions.push('found');
  if (ok({ type: 'ChangeCondition', tag: asset.tag, condition: otherCondition })) actions.push('condition');
  if (ok({ type: 'Retire', tag: asset.tag, reason: 'check' })) actions.push('retire');
  return actions;
}
