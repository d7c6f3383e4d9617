// Hand receipts and due dates (issue 9). An issue or return confirmed at the kiosk carries a receipt: the
// holder as they were at that moment, the assets, the operator, the terms version the holder signed under,
// the finger signature as vector strokes (or the holder's own badge scan), and the checkpoint of the log
// just before it (seq and head hash, signed by the device key). The receipt is its own event,
// HandReceiptSigned, recorded first in the command's transaction; each AssetIssued/AssetReturned names it.
// Pure: the checkpoint and its signature come in through the context.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../store/canonical.ts';
import { refuse } from './errors.ts';
import { findOperatorByBadge } from './state.ts';
import { tagKey } from './tags.ts';
import type { Asset, CageState, DecideContext, Holder, JsonObject, NewEvent, ReceiptInput, SignatureInput } from './types.ts';

const DAY_MS = 86_400_000;
export const MAX_SIGNATURE_POINTS = 5000;

/** YYYY-MM-DD of an instant, in the box's own time zone (the cage's "today"). */
export function localDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`); // noon: no daylight-saving edge moves the day
  return new Date(d.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / DAY_MS);
}

/** The due date an issue gives an asset: the one asked for, or the configured days for its type; "open" = open-ended. */
export function dueFor(asset: Asset, ctx: DecideContext, requested?: string): string {
  const today = localDate(ctx.now);
  if (requested !== undefined && requested !== '') {
    const r = requested.trim().toLowerCase();
    if (r === 'none' || r === 'open') return 'open';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r) || Number.isNaN(Date.parse(`${r}T12:00:00Z`)) || addDays(r, 0) !== r) {
      refuse('BAD_DUE_DATE', `"${requested}" is not a date; write it as YYYY-MM-DD, or "none" for open-ended.`);
    }
    if (r < today) refuse('BAD_DUE_DATE', `The return date ${r} is in the past; today is ${today}.`);
    return r;
  }
  const days = ctx.custody ? (asset.type in ctx.custody.dueDays ? ctx.custody.dueDays[asset.type] : ctx.custody.dueDays['*']) : undefined;
  if (days === null || days === undefined) return days === null ? 'open' : addDays(today, 14);
  return addDays(today, days);
}

function checkSignature(sig: SignatureInput): SignatureInput | null {
  const whole = (n: unknown, max: number) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max;
  if (!whole(sig.width, 4000) || !whole(sig.height, 4000) || sig.width < 10 || sig.height < 10 || !Array.isArray(sig.strokes)) {
    refuse('BAD_SIGNATURE', 'The signature could not be read; clear it and sign again.');
  }
  const strokes = sig.strokes.filter((s) => Array.isArray(s) && s.length > 0);
  const points = strokes.reduce((n, s) => n + s.length, 0);
  if (points > MAX_SIGNATURE_POINTS) refuse('BAD_SIGNATURE', 'The signature is too long; clear it and sign again.');
  for (const s of strokes) {
    for (const p of s) {
      if (!Array.isArray(p) || p.length !== 2 || !whole(p[0], sig.width) || !whole(p[1], sig.height)) {
        refuse('BAD_SIGNATURE', 'The signature could not be read; clear it and sign again.');
      }
    }
  }
  // A tap is not a signature: it needs some ink.
  return points >= 2 ? { width: sig.width, height: sig.height, strokes: strokes.map((s) => s.map(([x, y]) => [x, y] as [number, number])) } : null;
}

/** How the receipt was acknowledged: a signature, the holder's own badge, or nothing (refused when required). */
function acknowledgement(ctx: DecideContext, input: ReceiptInput | undefined, required: boolean, expected: Holder | null, who: string) {
  const signature = input?.signature ? checkSignature(input.signature) : null;
  let badge: string | null = null;
  if (!signature && input?.badge) {
    if (!ctx.custody?.badgeAcknowledgement) refuse('BADGE_ACK_NOT_ALLOWED', `A badge scan does not acknowledge a receipt on this box: ${who} signs on the screen.`);
    if (expected && tagKey(expected.badge ?? '') !== tagKey(input.badge)) {
      refuse('RECEIPT_BADGE_MISMATCH', `That badge is not ${expected.name}'s: ${who} scans their own badge, or signs on the screen.`);
    }
    badge = input.badge.trim();
  }
  if (!signature && !badge && required && ctx.custody?.receiptsRequired) {
    refuse('RECEIPT_REQUIRED', ctx.custody.badgeAcknowledgement
      ? `${who[0]!.toUpperCase()}${who.slice(1)} signs on the screen, or scans their own badge, before Confirm.`
      : `${who[0]!.toUpperCase()}${who.slice(1)} signs on the screen before Confirm.`);
  }
  return { signature, badge, how: signature ? 'signature' : badge ? 'badge' : 'none' };
}

export function contentHash(receipt: JsonObject): string {
  return createHash('sha256').update(canonicalJson(receipt)).digest('hex');
}

function operatorOf(state: CageState, ctx: DecideContext): JsonObject {
  if (ctx.actor.kind !== 'operator') return { id: ctx.actor.kind, name: ctx.actor.kind };
  const op = state.operators.get(ctx.actor.id);
  return { id: ctx.actor.id, name: op?.name ?? ctx.actor.id };
}

const assetLine = (a: Asset): JsonObject => ({ tag: a.tag, serial: a.serial, type: a.type, make: a.make, model: a.model });

/**
 * The HandReceiptSigned event of an issue, or null when nothing acknowledged it and none is required.
 * `dues` maps each asset key to its due date.
 */
export function issueReceipt(state: CageState, ctx: DecideContext, holder: Holder, assets: Asset[], dues: Map<string, string>,
  input: ReceiptInput | undefined, required: boolean): NewEvent | null {
  const ack = acknowledgement(ctx, input, required, holder, 'the holder');
  if (ack.how === 'none') return null;
  const receipt: JsonObject = {
    receipt: 'issue', at: ctx.now,
    holder: { id: holder.id, name: holder.name, org: holder.org, badge: holder.badge },
    assets: assets.map((a) => ({ ...assetLine(a), due: dues.get(a.key) ?? 'open' })),
    operator: operatorOf(state, ctx),
    terms: state.terms ? { version: state.terms.version, sha256: state.terms.sha256 } : null,
    acknowledgement: ack.how, signature: ack.signature as unknown as JsonObject | null, badge: ack.badge,
    checkpoint: ctx.checkpoint ?? null,
  };
  return { type: 'HandReceiptSigned', subject: holder.id, data: { ...receipt, content_sha256: contentHash(receipt) } };
}

/** Who brought assets back, from a scanned badge: the holder, another holder, an operator, or unknown. */
export function returnedBy(state: CageState, badge: string | undefined, holderOfAll: Holder | null): { by: JsonObject | null; byHolder: boolean | null } {
  if (!badge?.trim()) return { by: null, byHolder: null };
  const owner = state.barcodes.get(tagKey(badge));
  if (owner?.kind === 'holder') {
    const h = state.holders.get(owner.ref)!;
    return { by: { kind: 'holder', id: h.id, name: h.name, badge: h.badge }, byHolder: holderOfAll?.id === h.id };
  }
  const op = findOperatorByBadge(state, badge);
  if (op) return { by: { kind: 'operator', id: op.id, name: op.name, badge: op.badge }, byHolder: false };
  refuse('UNKNOWN_BADGE', `No holder or operator has badge "${badge.trim()}"; scan the badge of the person bringing it back.`);
}

/** The HandReceiptSigned event of a return, acknowledged by whoever brought the assets back. */
export function returnReceipt(state: CageState, ctx: DecideContext, assets: Asset[], by: JsonObject | null, input: ReceiptInput | undefined,
  required: boolean, holderOfAll: Holder | null): NewEvent | null {
  // The person returning acknowledges with their own badge: the one just scanned as "returned by", if any.
  const expected = by?.kind === 'holder' ? state.holders.get(String(by.id)) ?? null : holderOfAll;
  const ack = acknowledgement(ctx, input, required, expected, 'the person returning it');
  if (ack.how === 'none') return null;
  const receipt: JsonObject = {
    receipt: 'return', at: ctx.now,
    holder: holderOfAll ? { id: holderOfAll.id, name: holderOfAll.name, org: holderOfAll.org, badge: holderOfAll.badge } : null,
    assets: assets.map((a) => ({ ...assetLine(a), holder_id: a.holderId, holder_name: state.holders.get(a.holderId ?? '')?.name ?? null })),
    returned_by: by,
    operator: operatorOf(state, ctx),
    terms: state.terms ? { version: state.terms.version, sha256: state.terms.sha256 } : null,
    acknowledgement: ack.how, signature: ack.signature as unknown as JsonObject | null, badge: ack.badge,
    checkpoint: ctx.checkpoint ?? null,
  };
  return { type: 'HandReceiptSigned', subject: holderOfAll?.id ?? String(by?.id ?? 'unknown'), data: { ...receipt, content_sha256: contentHash(receipt) } };
}
