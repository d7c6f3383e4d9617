// Screen 5, return: the home slot is proposed; when it is taken, empty slots are offered (same case first).
// The hand receipt: who brought it back (a badge scan, when not the holder), their signature or badge.
import { keyOfSlotText } from '../../domain/state.ts';
import type { ReturnData } from '../../../ui/view-types.ts';
import { assetInfo, caseOfSlot, emptySlots } from '../views.ts';
import { badgePeople, receiptSetup } from './receipt.ts';
import { assetOrNotice, type ScreenContext, type ScreenSpec } from './spec.ts';

export function returnScreen(c: ScreenContext, tag: string): ScreenSpec {
  const state = c.app.state();
  const asset = assetOrNotice(state, tag);
  if (!('key' in asset)) return asset;
  const occupantKey = asset.home ? state.slots.get(keyOfSlotText(asset.home)) : undefined;
  const occupant = occupantKey ? state.assets.get(occupantKey) : undefined;
  const data: ReturnData = {
    asset: assetInfo(state, asset, c.app.now()),
    home: asset.home ? { slot: asset.home, tag: occupant && occupant.key !== asset.key ? occupant.tag : null } : null,
    empty: emptySlots(state, caseOfSlot(asset.home)).slice(0, 60),
    undoSeconds: c.config.undoSeconds,
    receipt: receiptSetup(c),
    people: badgePeople(state),
  };
  return { screen: 'return', title: `Return ${asset.tag}`, tag: 'return-screen', data };
}
