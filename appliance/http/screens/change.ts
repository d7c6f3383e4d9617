// The asset card's other actions: move to another slot, mark missing, record found, change condition, retire.
import { CONDITIONS } from '../../domain/types.ts';
import type { ChangeData } from '../../../ui/view-types.ts';
import { assetInfo, caseOfSlot, emptySlots } from '../views.ts';
import { assetOrNotice, type ScreenContext, type ScreenSpec } from './spec.ts';

const TITLES: Record<ChangeData['change'], string> = {
  move: 'Move', missing: 'Mark missing', found: 'Record found', condition: 'Condition', retire: 'Retire',
};

export function isChange(name: string): name is ChangeData['change'] {
  return name in TITLES;
}

export function changeScreen(c: ScreenContext, tag: string, change: ChangeData['change']): ScreenSpec {
  const state = c.app.state();
  const asset = assetOrNotice(state, tag);
  if (!('key' in asset)) return asset;
  const data: ChangeData = {
    asset: assetInfo(state, asset, c.app.now()),
    change,
    empty: change === 'move' ? emptySlots(state, caseOfSlot(asset.slot ?? asset.home)).slice(0, 60) : [],
    conditions: [...CONDITIONS],
    undoSeconds: c.config.undoSeconds,
  };
  return { screen: `asset-${change}`, title: `${TITLES[change]} ${asset.tag}`, tag: 'change-screen', data };
}
