// Screen 4, issue: pick or scan the holder, then a confirmation card with holder and assets side by side,
// and the hand receipt: terms, the return date (the asset type's default), the holder's signature or badge.
import { DomainError } from '../../domain/errors.ts';
import { findAsset, findHolder } from '../../domain/state.ts';
import type { Asset } from '../../domain/types.ts';
import type { IssueData } from '../../../ui/view-types.ts';
import { refusalOf } from '../dry-run.ts';
import { activeHolders, assetInfo, holderInfo, holdingCounts } from '../views.ts';
import { defaultDue, receiptSetup } from './receipt.ts';
import { actorOf, notice, type ScreenContext, type ScreenSpec } from './spec.ts';

export function issueScreen(c: ScreenContext, tags: string[], holderRef: string | undefined): ScreenSpec {
  const state = c.app.state();
  const now = c.app.now();
  const assets: Asset[] = [];
  try {
    for (const tag of tags) assets.push(findAsset(state, tag));
    const holder = holderRef ? findHolder(state, holderRef) : null;
    if (assets.length === 0) return notice('Nothing to issue', 'Scan an asset first.', 400);
    const actor = actorOf(c.operator);
    // Each asset is checked alone against the chosen holder, so every blocked row says why.
    const probe = holder ?? [...state.holders.values()].find((h) => h.active);
    const data: IssueData = {
      assets: assets.map((a) => ({
        ...assetInfo(state, a, now),
        blocker: probe ? refusalOf(c.app, actor, { type: 'Issue', tags: [a.tag], holder: probe.id }) : 'No active holder is registered.',
      })),
      holder: holder ? holderInfo(holder, holdingCounts(state)) : null,
      holders: holder ? [] : activeHolders(state),
      undoSeconds: c.config.undoSeconds,
      receipt: receiptSetup(c),
      dues: Object.fromEntries(assets.map((a) => [a.tag, defaultDue(c, a)])),
    };
    const title = `Issue ${assets.length === 1 ? assets[0]!.tag : `${assets.length} assets`}`;
    return { screen: 'issue', title, tag: 'issue-screen', data };
  } catch (err) {
    if (err instanceof DomainError) return notice('Cannot issue', err.message, 404);
    throw err;
  }
}
