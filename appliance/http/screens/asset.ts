// Screen 3, the asset card after a scan, its history timeline (screen 9), and where a scanned code leads.
import { findAsset, resolveSlot, slotOccupant } from '../../domain/state.ts';
import { tagKey } from '../../domain/tags.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AssetScreenData, FindData, HistoryData } from '../../../ui/view-types.ts';
import { legalActions } from '../asset-actions.ts';
import { eventKind, eventText } from '../event-text.ts';
import { assetInfo } from '../views.ts';
import { actorOf, notice, type ScreenContext, type ScreenSpec } from './spec.ts';

/** The asset, or a "not registered" notice for the route to show. */
function lookup(c: ScreenContext, tag: string) {
  try {
    return findAsset(c.app.state(), tag);
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
}

const unknownAsset = (tag: string) => notice('Unknown asset', `No asset with tag "${tag}" is registered.`, 404);

export function assetScreen(c: ScreenContext, tag: string): ScreenSpec {
  const asset = lookup(c, tag);
  if (!asset) return unknownAsset(tag);
  const state = c.app.state();
  const events = c.app.store.eventsOfSubject(asset.tag).filter((e) => e.type !== 'UiAction').slice(-5).reverse()
    .map((e) => ({ seq: e.seq, at: e.occurred_at, text: eventText(state, e), kind: eventKind(e.type) }));
  const data: AssetScreenData = {
    asset: assetInfo(state, asset, c.app.now()),
    actions: c.operator ? legalActions(c.app, actorOf(c.operator), asset) : [],
    events,
    signedIn: c.operator !== null,
  };
  return { screen: 'asset', title: asset.tag, tag: 'asset-screen', data };
}

export function historyScreen(c: ScreenContext, tag: string): ScreenSpec {
  const asset = lookup(c, tag);
  if (!asset) return unknownAsset(tag);
  const state = c.app.state();
  const all = c.app.store.eventsOfSubject(asset.tag);
  const corrected = new Set(all.filter((e) => e.type === 'EventCorrected').map((e) => Number(e.data.corrects_seq)));
  const data: HistoryData = {
    asset: assetInfo(state, asset, c.app.now()),
    events: all.reverse().map((e) => ({
      seq: e.seq, at: e.occurred_at, type: e.type, text: eventText(state, e), actor: e.actor, source: e.source, kind: eventKind(e.type), corrected: corrected.has(e.seq),
    })),
  };
  return { screen: 'history', title: `History of ${asset.tag}`, tag: 'history-screen', data };
}

/** A scanned (or typed) code: its page, or a plain sentence saying what it is not. */
export function findScreen(c: ScreenContext, code: string): ScreenSpec {
  const state = c.app.state();
  const owner = state.barcodes.get(tagKey(code));
  const go = (href: string): ScreenSpec => ({ screen: 'find', title: code, tag: 'notice-screen', data: null, redirect: href });
  if (owner?.kind === 'asset') return go(`/asset/${encodeURIComponent(state.assets.get(owner.ref)!.tag)}`);
  if (owner?.kind === 'holder') return go(`/holder/${encodeURIComponent(owner.ref)}`);
  if (owner?.kind === 'case') return go(`/batch?case=${encodeURIComponent(state.cases.get(owner.ref)!.label)}`);
  if (owner?.kind === 'operator') {
    return notice('Operator badge', `This is the badge of ${state.operators.get(owner.ref)?.name}. Scan it to sign in.`);
  }
  if (code.includes('/')) {
    try {
      const slot = resolveSlot(state, code);
      const occupant = slotOccupant(state, slot);
      return occupant ? go(`/asset/${encodeURIComponent(occupant.tag)}`) : notice('Empty slot', `Slot ${slot.text} is empty.`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return notice('Unknown slot', err.message, 404);
    }
  }
  const admin = c.operator?.role === 'admin';
  const data: FindData = {
    code,
    message: `"${code}" is not a registered tag, badge or label.`,
    registerHref: admin ? `/admin/assets/new?tag=${encodeURIComponent(code)}` : null,
  };
  return { screen: 'find', title: 'Unknown code', tag: 'find-screen', data, status: 404 };
}
