// What the screens that confirm an issue or a return show of the hand receipt: the configured rules, the
// terms text, today's date, and each asset's default return date computed with the rules' own function.
import { dueFor, localDate } from '../../domain/receipts.ts';
import type { Asset, CageState } from '../../domain/types.ts';
import type { ReceiptPerson, ReceiptSetup } from '../../../ui/view-types.ts';
import { actorOf, type ScreenContext } from './spec.ts';

export function receiptSetup(c: ScreenContext): ReceiptSetup {
  const rules = c.app.config.custody;
  const terms = c.app.state().terms;
  return {
    receiptsRequired: rules.receiptsRequired,
    badgeAcknowledgement: rules.badgeAcknowledgement,
    terms: terms ? { version: terms.version, text: terms.text } : null,
    today: localDate(c.app.now().toISOString()),
  };
}

/** The return date an issue gives this asset when none is chosen: YYYY-MM-DD, or "open". */
export function defaultDue(c: ScreenContext, asset: Asset): string {
  return dueFor(asset, c.app.decideContext(actorOf(c.operator)));
}

/** Active holders with a badge: whose scan on a return screen names who brought it back. */
export function badgePeople(state: CageState): ReceiptPerson[] {
  return [...state.holders.values()].filter((h) => h.active && h.badge).map((h) => ({ id: h.id, name: h.name, badge: h.badge! }));
}
