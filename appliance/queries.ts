// Read models: the questions the appliance must always answer, from current state (no replay).
import type { Appliance } from './appliance.ts';
import { findAsset, findHolder, keyOfSlotText } from './domain/state.ts';
import type { Asset, CageState, CradleBatch, Holder } from './domain/types.ts';

export function assetView(state: CageState, a: Asset) {
  const holder = a.holderId ? state.holders.get(a.holderId) : undefined;
  return {
    tag: a.tag, serial: a.serial, type: a.type, make: a.make, model: a.model, notes: a.notes,
    state: a.state, missing: a.missing, condition: a.condition,
    holder: holder ? { id: holder.id, name: holder.name } : null,
    since: a.since, home: a.home, slot: a.slot, last_seen_at: a.lastSeenAt,
  };
}

export function holderView(h: Holder) {
  return { id: h.id, name: h.name, badge: h.badge, org: h.org, kind: h.kind, active: h.active };
}

export function assetQuery(state: CageState, tag: string) {
  return { asset: assetView(state, findAsset(state, tag)) };
}

/** Every event about one asset, oldest first: custody, scans in any spelling, corrections. */
export function historyQuery(app: Appliance, tag: string) {
  const state = app.state();
  const asset = findAsset(state, tag);
  const events = app.store.eventsOfSubject(asset.tag).map((e) => ({
    seq: e.seq, type: e.type, occurred_at: e.occurred_at, recorded_at: e.recorded_at, actor: e.actor, source: e.source, data: e.data,
  }));
  return { asset: assetView(state, asset), events };
}

function daysBetween(fromIso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(fromIso)) / 86_400_000);
}

/** Who holds what now. Without a holder: everyone holding anything; with one: that holder, even empty-handed. */
export function holdingsQuery(state: CageState, now: Date, holderRef?: string) {
  const byHolder = new Map<string, Asset[]>();
  for (const a of state.assets.values()) {
    if (a.state !== 'issued' || !a.holderId) continue;
    byHolder.set(a.holderId, [...(byHolder.get(a.holderId) ?? []), a]);
  }
  const holders = holderRef ? [findHolder(state, holderRef)] : [...byHolder.keys()].map((id) => state.holders.get(id)!).filter(Boolean);
  return {
    holders: holders
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((h) => ({
        ...holderView(h),
        assets: (byHolder.get(h.id) ?? [])
          .sort((a, b) => a.since.localeCompare(b.since) || a.tag.localeCompare(b.tag))
          .map((a) => ({ tag: a.tag, serial: a.serial, type: a.type, since: a.since, days_out: daysBetween(a.since, now) })),
      })),
  };
}

export function overdueQuery(state: CageState, now: Date, days: number) {
  const assets = [...state.assets.values()]
    .filter((a) => a.state === 'issued' && daysBetween(a.since, now) >= days)
    .sort((a, b) => a.since.localeCompare(b.since) || a.tag.localeCompare(b.tag))
    .map((a) => ({ ...assetView(state, a), days_out: daysBetween(a.since, now) }));
  return { days, assets };
}

export function missingQuery(state: CageState) {
  return { assets: [...state.assets.values()].filter((a) => a.missing).sort((a, b) => a.tag.localeCompare(b.tag)).map((a) => assetView(state, a)) };
}

export function casesQuery(state: CageState) {
  const cases = [...state.cases.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  return {
    cases: cases.map((c) => {
      const slots = Array.from({ length: c.slots }, (_, i) => {
        const key = state.slots.get(`${c.key}/${i + 1}`);
        const a = key ? state.assets.get(key) : undefined;
        return { slot: `${c.label}/${i + 1}`, tag: a?.tag ?? null };
      });
      const homed = [...state.assets.values()].filter((a) => a.home && keyOfSlotText(a.home).startsWith(`${c.key}/`));
      return { label: c.label, slots: c.slots, occupied: slots.filter((s) => s.tag).length, issued_from_here: homed.filter((a) => a.state === 'issued').length, grid: slots };
    }),
  };
}

export function dashboardCounts(state: CageState, now: Date, overdueDays: number) {
  const assets = [...state.assets.values()];
  return {
    in_storage: assets.filter((a) => a.state === 'in_storage').length,
    issued: assets.filter((a) => a.state === 'issued').length,
    retired: assets.filter((a) => a.state === 'retired').length,
    missing: assets.filter((a) => a.missing).length,
    overdue: assets.filter((a) => a.state === 'issued' && daysBetween(a.since, now) >= overdueDays).length,
    holders_active: [...state.holders.values()].filter((h) => h.active).length,
    cases: state.cases.size,
    slots_free: [...state.cases.values()].reduce((n, c) => n + c.slots, 0) - state.slots.size,
  };
}

/** One cradle upload with its scans, as recorded (oldest first). */
export function cradleBatchView(app: Appliance, batch: CradleBatch) {
  const scans = batch.count === 0 ? [] : [...app.store.readEvents(batch.firstSeq, batch.lastSeq - 1)].map((e) => ({
    seq: e.seq, value: String(e.data.value), kind: String(e.data.kind), ref: (e.data.ref as string | null) ?? null,
    reason: String(e.data.reason ?? ''), symbology: String(e.data.symbology ?? ''),
    scanner_time: String(e.data.scanner_time ?? ''), corrected_time: String(e.data.corrected_time ?? ''),
  }));
  return {
    batch: batch.id, device: batch.device, uploaded_at: batch.uploadedAt, count: batch.count, status: batch.status,
    resolved_seq: batch.resolvedSeq, scans,
  };
}

/** Cradle uploads, newest first; pending ones are waiting for an operator to use or dismiss them. */
export function cradleBatchesQuery(app: Appliance, pendingOnly: boolean) {
  const batches = [...app.state().cradleBatches.values()]
    .filter((b) => !pendingOnly || b.status === 'pending')
    .sort((a, b) => b.lastSeq - a.lastSeq);
  return { batches: batches.map((b) => cradleBatchView(app, b)) };
}
