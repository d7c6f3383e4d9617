// evolve(state, event): apply one recorded event to the cage state.
// It mutates `state` in place (replaying a million events must not copy maps) and notes in
// state.touched which projection rows changed, so the store can write exactly those. A replay sets
// touched to null: nothing is written row by row then, and the bookkeeping would cost a third of its time.
import { keyOfSlotText } from './state.ts';
import { tagKey } from './tags.ts';
import type { AppliedEvent, Asset, CageState, Condition, HolderKind, Json, JsonObject, Role } from './types.ts';

const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: Json | undefined): string | null => (typeof v === 'string' ? v : null);

function touchAsset(state: CageState, asset: Asset, seq: number): void {
  asset.lastChangeSeq = seq;
  state.touched?.add(`asset:${asset.key}`);
}

function occupy(state: CageState, asset: Asset, slot: string | null): void {
  if (asset.slot) {
    const old = keyOfSlotText(asset.slot);
    state.slots.delete(old);
    state.touched?.add(`slot:${old}`);
  }
  asset.slot = slot;
  if (slot) {
    const key = keyOfSlotText(slot);
    state.slots.set(key, asset.key);
    state.touched?.add(`slot:${key}`);
  }
}

function setSerial(state: CageState, asset: Asset, serial: string): void {
  if (asset.serial) state.serials.delete(tagKey(asset.serial));
  asset.serial = serial;
  if (serial) state.serials.set(tagKey(serial), asset.key);
}

function setBadge(state: CageState, kind: 'holder' | 'operator', id: string, oldBadge: string | null, badge: string | null): void {
  if (oldBadge) state.barcodes.delete(tagKey(oldBadge));
  if (badge) state.barcodes.set(tagKey(badge), { kind, ref: id });
}

function resolveBatch(state: CageState, id: string, status: 'used' | 'dismissed', seq: number): void {
  const batch = state.cradleBatches.get(id);
  if (!batch || batch.status !== 'pending') return;
  batch.status = status;
  batch.resolvedSeq = seq;
  state.touched?.add(`cradleBatch:${id}`);
}

export function evolve(state: CageState, event: AppliedEvent): CageState {
  const d: JsonObject = event.data;
  // An issue, return or sweep made from a cradle upload uses the upload up.
  if (typeof d.batch === 'string' && !['ScanCaptured', 'CradleUploaded', 'CradleBatchDismissed'].includes(event.type)) {
    resolveBatch(state, d.batch, 'used', event.seq);
  }
  // Holder and operator ids share no namespace with tags, so only asset events look the subject up as a tag.
  const isAssetEvent = event.type.startsWith('Asset') || event.type === 'ConditionChanged' ||
    (event.type === 'EventCorrected' && d.entity === 'asset');
  const asset = isAssetEvent ? state.assets.get(tagKey(event.subject)) : undefined;
  state.seq = event.seq;
  switch (event.type) {
    case 'StoreInitialized':
      state.deviceId = str(d.device_id);
      state.touched?.add('meta');
      break;
    case 'CaseRegistered': {
      const key = tagKey(str(d.label));
      state.cases.set(key, { label: str(d.label), key, slots: Number(d.slots), lastSweptAt: null });
      state.barcodes.set(key, { kind: 'case', ref: key });
      state.touched?.add(`case:${key}`);
      break;
    }
    case 'AssetRegistered': {
      const key = tagKey(str(d.tag));
      const created: Asset = {
        tag: str(d.tag), key, serial: '', type: str(d.type), make: str(d.make), model: str(d.model),
        notes: str(d.notes), state: 'in_storage', missing: false, condition: 'operational', holderId: null,
        since: event.occurred_at, home: strOrNull(d.slot), slot: null, lastSeenAt: null, lastChangeSeq: event.seq, due: null,
      };
      state.assets.set(key, created);
      state.barcodes.set(key, { kind: 'asset', ref: key });
      setSerial(state, created, str(d.serial));
      occupy(state, created, strOrNull(d.slot));
      touchAsset(state, created, event.seq);
      break;
    }
    case 'AssetUpdated': {
      if (!asset) break;
      const to = d.to as JsonObject;
      if (typeof to.serial === 'string') setSerial(state, asset, to.serial);
      if (typeof to.type === 'string') asset.type = to.type;
      if (typeof to.make === 'string') asset.make = to.make;
      if (typeof to.model === 'string') asset.model = to.model;
      if (typeof to.notes === 'string') asset.notes = to.notes;
      touchAsset(state, asset, event.seq);
      break;
    }
    case 'AssetIssued':
      if (!asset) break;
      occupy(state, asset, null);
      asset.state = 'issued';
      asset.holderId = str(d.holder_id);
      asset.since = event.occurred_at;
      asset.due = typeof d.due === 'string' ? d.due : null;
      touchAsset(state, asset, event.seq);
      break;
    case 'DueDateChanged':
      if (!asset) break;
      asset.due = str(d.to);
      state.touched?.add(`asset:${asset.key}`);
      break;
    case 'AssetReturned':
      if (!asset) break;
      asset.state = 'in_storage';
      asset.holderId = null;
      asset.since = event.occurred_at;
      asset.due = null;
      occupy(state, asset, str(d.to_slot));
      if (d.returned_by_holder === false) {
        const by = (d.returned_by ?? {}) as JsonObject;
        state.returnsByOthers = [{ seq: event.seq, at: event.occurred_at, tag: asset.tag, holder: str(d.holder_name), by: str(by.name) || str(by.badge) },
          ...state.returnsByOthers].slice(0, 50);
        state.touched?.add('meta');
      }
      if (!asset.home) asset.home = str(d.to_slot);
      touchAsset(state, asset, event.seq);
      break;
    case 'AssetMoved':
      // A deliberate move re-homes the asset: it lives in the new slot from now on.
      if (!asset) break;
      occupy(state, asset, str(d.to_slot));
      asset.home = str(d.to_slot);
      touchAsset(state, asset, event.seq);
      break;
    case 'AssetVerified':
      if (!asset) break;
      asset.lastSeenAt = event.occurred_at;
      state.touched?.add(`asset:${asset.key}`);
      break;
    case 'AssetMarkedMissing':
      if (!asset) break;
      asset.missing = true;
      touchAsset(state, asset, event.seq);
      break;
    case 'AssetFound':
      if (!asset) break;
      asset.missing = false;
      asset.lastSeenAt = event.occurred_at;
      touchAsset(state, asset, event.seq);
      break;
    case 'ConditionChanged':
      if (!asset) break;
      asset.condition = str(d.to) as Condition;
      touchAsset(state, asset, event.seq);
      break;
    case 'AssetRetired':
      if (!asset) break;
      occupy(state, asset, null);
      asset.state = 'retired';
      asset.holderId = null;
      asset.due = null;
      asset.since = event.occurred_at;
      touchAsset(state, asset, event.seq);
      break;
    case 'HolderRegistered': {
      const id = str(d.id);
      state.holders.set(id, {
        id, name: str(d.name), badge: strOrNull(d.badge), org: str(d.org), kind: str(d.kind) as HolderKind, active: true,
      });
      setBadge(state, 'holder', id, null, strOrNull(d.badge));
      state.counters.holders += 1;
      state.touched?.add(`holder:${id}`).add('meta');
      break;
    }
    case 'HolderUpdated': {
      const holder = state.holders.get(event.subject);
      if (!holder) break;
      const to = d.to as JsonObject;
      if (typeof to.name === 'string') holder.name = to.name;
      if (typeof to.org === 'string') holder.org = to.org;
      if (typeof to.kind === 'string') holder.kind = to.kind as HolderKind;
      if (to.badge !== undefined) {
        setBadge(state, 'holder', holder.id, holder.badge, strOrNull(to.badge));
        holder.badge = strOrNull(to.badge);
      }
      state.touched?.add(`holder:${holder.id}`);
      break;
    }
    case 'HolderDeactivated':
    case 'HolderReactivated': {
      const holder = state.holders.get(event.subject);
      if (!holder) break;
      holder.active = event.type === 'HolderReactivated';
      state.touched?.add(`holder:${holder.id}`);
      break;
    }
    case 'OperatorRegistered': {
      const id = str(d.id);
      state.operators.set(id, { id, name: str(d.name), badge: str(d.badge), role: str(d.role) as Role, active: true });
      setBadge(state, 'operator', id, null, str(d.badge));
      state.counters.operators += 1;
      state.touched?.add(`operator:${id}`).add('meta');
      break;
    }
    case 'OperatorDeactivated': {
      const op = state.operators.get(event.subject);
      if (!op) break;
      op.active = false;
      state.touched?.add(`operator:${op.id}`);
      break;
    }
    case 'ScanCaptured': {
      const value = str(d.value);
      if (typeof d.record_key === 'string') {
        // A cradle record: remembered so a re-upload records nothing twice. Its records are stored scans,
        // not live ones, so they take no part in the duplicate window.
        state.cradleRecords.set(d.record_key, event.seq);
        state.touched?.add(`cradleRecord:${d.record_key}`);
      } else {
        state.lastScans.set(`${str(d.source)}|${str(d.device)}`, { value, at: event.occurred_at });
        state.touched?.add(`scan:${str(d.source)}|${str(d.device)}`);
      }
      if (d.kind === 'asset' && d.duplicate !== true) {
        const seen = state.assets.get(tagKey(str(d.ref)));
        // A cradle record was seen when the scanner read it (its clock corrected), not when it was uploaded.
        const at = str(d.corrected_time) || event.occurred_at;
        if (seen && (seen.lastSeenAt === null || at > seen.lastSeenAt)) {
          seen.lastSeenAt = at;
          state.touched?.add(`asset:${seen.key}`);
        }
      }
      break;
    }
    case 'CradleUploaded': {
      const recorded = Number(d.recorded);
      state.cradleBatches.set(event.subject, {
        id: event.subject, device: str(d.device_id), uploadedAt: event.occurred_at,
        firstSeq: event.seq - recorded, lastSeq: event.seq, count: recorded, status: 'pending', resolvedSeq: null,
      });
      state.touched?.add(`cradleBatch:${event.subject}`);
      break;
    }
    case 'CradleBatchDismissed':
      resolveBatch(state, str(d.batch), 'dismissed', event.seq);
      break;
    case 'EventCorrected': {
      // The correction states the restored values explicitly; nothing is inferred here.
      const restore = (d.restore ?? {}) as JsonObject;
      if (asset) {
        if (typeof restore.state === 'string') asset.state = restore.state as Asset['state'];
        if (restore.holder_id !== undefined) asset.holderId = strOrNull(restore.holder_id);
        if (restore.slot !== undefined) occupy(state, asset, strOrNull(restore.slot));
        if (restore.home !== undefined) asset.home = strOrNull(restore.home);
        if (typeof restore.missing === 'boolean') asset.missing = restore.missing;
        if (typeof restore.condition === 'string') asset.condition = restore.condition as Condition;
        if (typeof restore.since === 'string') asset.since = restore.since;
        if (restore.due !== undefined) asset.due = strOrNull(restore.due);
        else if (asset.state !== 'issued') asset.due = null;
        touchAsset(state, asset, event.seq);
      }
      const holder = d.entity === 'holder' ? state.holders.get(event.subject) : undefined;
      if (holder && typeof restore.active === 'boolean') {
        holder.active = restore.active;
        state.touched?.add(`holder:${holder.id}`);
      }
      break;
    }
    case 'SweepStarted': {
      const scope = str(d.scope);
      state.openSweeps.set(scope, { scope, label: str(d.label), operator: event.actor, startedSeq: event.seq, startedAt: event.occurred_at });
      state.touched?.add(`openSweep:${scope}`);
      break;
    }
    case 'SweepAbandoned':
      state.openSweeps.delete(str(d.scope));
      state.touched?.add(`openSweep:${str(d.scope)}`);
      break;
    case 'SweepCompleted': {
      // A case sweep sweeps its case; a whole-cage sweep sweeps every case.
      const swept = d.scope === 'cage' ? [...state.cases.values()] : [state.cases.get(tagKey(event.subject))].filter((c) => c !== undefined);
      for (const c of swept) {
        c.lastSweptAt = event.occurred_at;
        state.touched?.add(`case:${c.key}`);
      }
      const scope = d.scope === 'cage' ? 'CAGE' : tagKey(event.subject);
      if (state.openSweeps.delete(scope)) state.touched?.add(`openSweep:${scope}`);
      break;
    }
    case 'TermsChanged':
      state.terms = { version: Number(d.version), text: str(d.text), sha256: str(d.sha256) };
      state.touched?.add('meta');
      break;
    case 'ExportWritten':
      state.lastExport = {
        seq: event.seq, at: event.occurred_at, bundle: str(d.bundle), headSeq: Number(d.head_seq), headHash: str(d.head_hash),
        manifestSha256: str(d.manifest_sha256),
      };
      state.touched?.add('meta');
      break;
    default:
      // Sign-in, UI actions, sweep summaries and exports change no projection; they are history only.
      break;
  }
  return state;
}
