// Reading hand receipts back from the log: one HandReceiptSigned event, the terms text of the version it
// was signed under (its TermsChanged event), and what a holder holds now with the receipt each asset was
// issued under (the receipt_seq of its latest AssetIssued). Every lookup goes through an index (seq, or
// subject and seq), never a scan of the log.
import type { Appliance } from '../appliance.ts';
import type { CageState, Holder, JsonObject } from '../domain/types.ts';
import type { EventStore } from '../store/event-store.ts';
import type { HeldAsset, ReceiptRecord, TermsVersion } from './receipt-html.ts';

export const RECEIPT_TYPE = 'HandReceiptSigned';

/** The receipt recorded as event `seq`, or null when that event is not one. */
export function receiptAt(store: EventStore, seq: number): ReceiptRecord | null {
  const e = store.event(seq);
  return e && e.type === RECEIPT_TYPE ? { seq: e.seq, data: e.data as JsonObject } : null;
}

/** The terms text of `version` as its TermsChanged event recorded it (subject `terms-v<version>`). */
export function termsVersion(store: EventStore, version: number): TermsVersion | null {
  const row = store.db.prepare("SELECT data FROM events WHERE subject = ? AND type = 'TermsChanged' ORDER BY seq DESC LIMIT 1")
    .get(`terms-v${version}`) as { data: string } | undefined;
  if (!row) return null;
  const d = JSON.parse(row.data) as JsonObject;
  return d.version === version && typeof d.text === 'string' && typeof d.sha256 === 'string' ? { version, text: d.text, sha256: d.sha256 } : null;
}

/** The terms text a receipt was signed under, or null (none in force, or not found). */
export function termsOfReceipt(store: EventStore, data: JsonObject): TermsVersion | null {
  const t = data.terms;
  if (t === null || typeof t !== 'object' || Array.isArray(t) || typeof t.version !== 'number') return null;
  return termsVersion(store, t.version);
}

/** The receipt an issued asset went out under: receipt_seq of its latest AssetIssued, or null. */
export function issuedUnder(store: EventStore, tag: string): number | null {
  const row = store.db.prepare("SELECT data FROM events WHERE subject = ? AND type = 'AssetIssued' ORDER BY seq DESC LIMIT 1")
    .get(tag) as { data: string } | undefined;
  if (!row) return null;
  const seq = (JSON.parse(row.data) as JsonObject).receipt_seq;
  return typeof seq === 'number' ? seq : null;
}

/** Everything `holder` holds now, oldest issue first, each with the receipt it was issued under. */
export function heldAssets(app: Appliance, state: CageState, holder: Holder): HeldAsset[] {
  return [...state.assets.values()].filter((a) => a.state === 'issued' && a.holderId === holder.id)
    .sort((a, b) => a.since.localeCompare(b.since) || a.tag.localeCompare(b.tag, undefined, { numeric: true }))
    .map((a) => ({
      tag: a.tag, serial: a.serial, type: a.type, make: a.make, model: a.model, since: a.since, due: a.due ?? null,
      receiptSeq: issuedUnder(app.store, a.tag),
    }));
}

/** The holder's current hand receipt: what they hold, the receipts behind it, and the terms those name. */
export function currentHandReceipt(app: Appliance, holder: Holder) {
  const state = app.state();
  const assets = heldAssets(app, state, holder);
  const receipts = new Map<number, ReceiptRecord>();
  const terms = new Map<number, TermsVersion | null>();
  for (const a of assets) {
    if (a.receiptSeq === null || receipts.has(a.receiptSeq)) continue;
    const r = receiptAt(app.store, a.receiptSeq);
    if (!r) {
      a.receiptSeq = null;
      continue;
    }
    receipts.set(r.seq, r);
    const t = r.data.terms;
    if (t && typeof t === 'object' && !Array.isArray(t) && typeof t.version === 'number' && !terms.has(t.version)) {
      terms.set(t.version, termsVersion(app.store, t.version));
    }
  }
  const head = app.store.head();
  return { assets, receipts, terms, head: { seq: head.seq, hash: head.hash } };
}
