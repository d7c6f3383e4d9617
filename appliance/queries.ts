// Read models: the questions the appliance must always answer, from current state (no replay).
import type { Appliance } from './appliance.ts';
import { findAsset, findHolder, keyOfSlotText } from './domain/state.ts';
import { addDays, daysFrom, localDate } from './domain/receipts.ts';
import type { Asset, CageState, CradleBatch, Holder } from './domain/types.ts';

export function assetView(state: CageState, a: Asset) {
  const holder = a.holderId ? state.holders.get(a.holderId) : undefined;
  return {
    tag: a.tag, serial: a.serial, type: a.type, make: a.make, model: a.model, notes: a.notes,
    state: a.state, missing: a.missing, condition: a.condition,
    holder: holder ? { id: holder.id, name: holder.name } : null,
    since: a.since, home: a.home, slot: a.slot, last_seen_at: a.lastSeenAt, due: a.state === 'issued' ? a.due : null,
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
          .map((a) => ({ tag: a.tag, serial: a.serial, type: a.type, since: a.since, days_out: daysBetween(a.since, now), due: a.due })),
      })),
  };
}

/**
 * How many days past its return date an issued asset is (0 = due today, negative = not yet), or null when it
 * is open-ended. An asset issued before due dates existed counts as due `days` after it was issued.
 */
export function daysOverdue(a: Asset, now: Date, days: number): number | null {
  if (a.state !== 'issued' || a.due === 'open') return null;
  const today = localDate(now.toISOString());
  const due = a.due ?? addDays(localDate(a.since), days);
  return daysFrom(due, today);
}

/** Issued assets past their return date, longest overdue first; due_today lists those due back today. */
export function overdueQuery(state: CageState, now: Date, days: number) {
  const issued = [...state.assets.values()].filter((a) => a.state === 'issued');
  // each asset's days overdue once (the dashboard renders from this; sorting would otherwise recompute it)
  const late = new Map(issued.map((a) => [a, daysOverdue(a, now, days)]));
  const view = (a: Asset) => ({ ...assetView(state, a), days_out: daysBetween(a.since, now), overdue_days: late.get(a)! });
  const assets = issued.filter((a) => (late.get(a) ?? -1) > 0)
    .sort((a, b) => (late.get(b)! - late.get(a)!) || a.tag.localeCompare(b.tag))
    .map(view);
  const dueToday = issued.filter((a) => late.get(a) === 0).sort((a, b) => a.tag.localeCompare(b.tag)).map(view);
  const byHolder = new Map<string, { id: string; name: string; overdue: number; due_today: number }>();
  for (const a of [...assets, ...dueToday]) {
    const h = a.holder;
    if (!h) continue;
    const row = byHolder.get(h.id) ?? { id: h.id, name: h.name, overdue: 0, due_today: 0 };
    if ((a.overdue_days ?? 0) > 0) row.overdue += 1;
    else row.due_today += 1;
    byHolder.set(h.id, row);
  }
  return { days, assets, due_today: dueToday, by_holder: [...byHolder.values()].sort((a, b) => b.overdue - a.overdue || a.name.localeCompare(b.name)) };
}

/**
 * The sweep schedule: when each case was last swept and is next due (every `interval` days), and what to
 * sweep today so every case stays within its interval (and the whole cage within a quarter): the cases
 * already due, then the oldest others up to the day's share.
 */
export function sweepScheduleQuery(state: CageState, now: Date, interval: number) {
  const today = localDate(now.toISOString());
  const cases = [...state.cases.values()].map((c) => {
    const last = c.lastSweptAt ? localDate(c.lastSweptAt) : null;
    const nextDue = last ? addDays(last, interval) : today;
    const open = state.openSweeps.get(c.key);
    return { label: c.label, last_swept: c.lastSweptAt, next_due: nextDue, days_behind: Math.max(0, daysFrom(nextDue, today)), due: nextDue <= today,
      open_by: open ? state.operators.get(open.operator)?.name ?? open.operator : null };
  }).sort((a, b) => (a.last_swept ?? '').localeCompare(b.last_swept ?? '') || a.label.localeCompare(b.label, undefined, { numeric: true }));
  const perDay = cases.length === 0 ? 0 : Math.max(Math.ceil(cases.length / interval), Math.ceil(cases.length / 90));
  const due = cases.filter((c) => c.due);
  const others = cases.filter((c) => !c.due).slice(0, Math.max(0, perDay - due.length));
  return {
    interval_days: interval, per_day: perDay, behind: cases.filter((c) => c.days_behind > 0 || c.last_swept === null).length,
    today: [...due, ...others].map((c) => c.label), cases,
  };
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
    overdue: assets.filter((a) => (daysOverdue(a, now, overdueDays) ?? -1) > 0).length,
    due_today: assets.filter((a) => daysOverdue(a, now, overdueDays) === 0).length,
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
