// Screen 9, a holder's page: who they are, their current hand receipt (what they hold now, for how long, and
// the receipt each was issued under), their latest custody changes.
import { DomainError } from '../../domain/errors.ts';
import { findHolder } from '../../domain/state.ts';
import type { HolderData } from '../../../ui/view-types.ts';
import { heldAssets } from '../../receipts/receipt-records.ts';
import { daysSince, holderInfo, holdingCounts } from '../views.ts';
import { notice, type ScreenContext, type ScreenSpec } from './spec.ts';

export function holderScreen(c: ScreenContext, ref: string): ScreenSpec {
  const state = c.app.state();
  let holder;
  try {
    holder = findHolder(state, ref);
  } catch (err) {
    if (err instanceof DomainError) return notice('Unknown holder', err.message, 404);
    throw err;
  }
  const now = c.app.now();
  const data: HolderData = {
    holder: holderInfo(holder, holdingCounts(state)),
    // The current hand receipt: each asset held now with the receipt it was issued under (printable at /receipt/:seq).
    assets: heldAssets(c.app, state, holder)
      .map((a) => ({ tag: a.tag, model: [a.make, a.model].filter(Boolean).join(' '), since: a.since, days: daysSince(a.since, now), due: a.due, receiptSeq: a.receiptSeq })),
    custody: c.custody.ofHolder(holder.id),
  };
  return { screen: 'holder', title: holder.name, tag: 'holder-screen', data };
}
