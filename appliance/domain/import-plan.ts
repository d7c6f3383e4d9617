// Import planning: what each CSV row would do (new / unchanged / update / error) and the events it would record.
// The preview shows exactly this plan; --commit records it only when no row is an error.
import { DomainError } from './errors.ts';
import { checkNewBarcode, resolveSlot, slotOccupant } from './state.ts';
import { cleanTag, tagKey } from './tags.ts';
import type { AssetImportRow, CageState, HolderImportRow, ImportRowResult, JsonObject, NewEvent } from './types.ts';

export interface PlannedRow {
  result: ImportRowResult;
  events: NewEvent[];
  error?: DomainError;
}

function errorRow(row: number, key: string, error: DomainError): PlannedRow {
  return { result: { row, key, status: 'error', message: error.message }, events: [], error };
}

function attempt(row: number, key: string, plan: () => PlannedRow): PlannedRow {
  try {
    return plan();
  } catch (err) {
    if (err instanceof DomainError) return errorRow(row, key, err);
    throw err;
  }
}

const fail = (code: string, message: string): never => {
  throw new DomainError(code, message);
};

export function planAssetImport(state: CageState, rows: AssetImportRow[]): PlannedRow[] {
  const tagsInFile = new Map<string, number>();
  const serialsInFile = new Map<string, number>();
  const slotsInFile = new Map<string, number>();

  return rows.map((r) => {
    const tag = cleanTag(r.tag ?? '');
    return attempt(r.row, tag, () => {
      if (!tag) fail('BAD_BARCODE', 'The asset tag is empty.');
      const key = tagKey(tag);
      const serial = (r.serial ?? '').trim();
      if (!serial) fail('BAD_SERIAL', `${tag} has no serial number.`);
      const repeatTag = tagsInFile.get(key);
      if (repeatTag !== undefined) fail('DUPLICATE_TAG', `Tag ${tag} repeats row ${repeatTag}.`);
      tagsInFile.set(key, r.row);
      const serialKey = tagKey(serial);
      const repeatSerial = serialsInFile.get(serialKey);
      if (repeatSerial !== undefined) fail('DUPLICATE_SERIAL', `Serial ${serial} repeats row ${repeatSerial}.`);
      serialsInFile.set(serialKey, r.row);
      const serialOwner = state.serials.get(serialKey);
      if (serialOwner && serialOwner !== key) fail('DUPLICATE_SERIAL', `Serial ${serial} belongs to ${state.assets.get(serialOwner)?.tag}.`);

      // A column the file does not have leaves that field as it is; an empty cell clears it.
      const given = { serial, type: r.assetType?.trim(), make: r.make?.trim(), model: r.model?.trim(), notes: r.notes?.trim() };
      const slotText = (r.slot ?? '').trim();
      const claimSlot = (): string | null => {
        if (!slotText) return null;
        const slot = resolveSlot(state, slotText);
        const occupant = slotOccupant(state, slot);
        if (occupant && occupant.key !== key) fail('SLOT_OCCUPIED', `Slot ${slot.text} holds ${occupant.tag}.`);
        const claimedBy = slotsInFile.get(slot.key);
        if (claimedBy !== undefined) fail('SLOT_OCCUPIED', `Slot ${slot.text} is also given to row ${claimedBy}.`);
        slotsInFile.set(slot.key, r.row);
        return slot.text;
      };

      const existing = state.assets.get(key);
      if (!existing) {
        const clean = checkNewBarcode(state, 'asset tag', tag);
        const slot = claimSlot();
        return {
          result: { row: r.row, key: clean, status: 'new', message: slot ? `new asset in ${slot}` : 'new asset' },
          events: [{
            type: 'AssetRegistered', subject: clean,
            data: { tag: clean, serial, type: given.type ?? '', make: given.make ?? '', model: given.model ?? '', notes: given.notes ?? '', slot },
          }],
        };
      }

      const from: JsonObject = {};
      const to: JsonObject = {};
      for (const field of ['serial', 'type', 'make', 'model', 'notes'] as const) {
        const value = given[field];
        if (value !== undefined && value !== existing[field]) {
          from[field] = existing[field];
          to[field] = value;
        }
      }
      const where = existing.slot ?? existing.home;
      const slotChanges = slotText !== '' && tagKey(slotText) !== tagKey(where ?? '');
      if (Object.keys(to).length === 0 && !slotChanges) {
        return { result: { row: r.row, key: existing.tag, status: 'unchanged', message: 'no change' }, events: [] };
      }
      if (existing.state === 'retired') fail('ASSET_RETIRED', `${existing.tag} is retired and cannot be edited.`);
      const events: NewEvent[] = [];
      const changes: string[] = Object.keys(to);
      if (changes.length > 0) events.push({ type: 'AssetUpdated', subject: existing.tag, data: { from, to } });
      if (slotChanges) {
        if (existing.state === 'issued') fail('ASSET_ISSUED', `${existing.tag} is issued; it gets a slot when it is returned.`);
        const slot = claimSlot();
        events.push({ type: 'AssetMoved', subject: existing.tag, data: { from_slot: existing.slot, to_slot: slot, home_before: existing.home } });
        changes.push(`slot → ${slot}`);
      }
      return { result: { row: r.row, key: existing.tag, status: 'update', message: `changes ${changes.join(', ')}` }, events };
    });
  });
}

export function planHolderImport(state: CageState, rows: HolderImportRow[]): PlannedRow[] {
  const badgesInFile = new Map<string, number>();
  let newCount = 0;
  return rows.map((r) => {
    const name = (r.name ?? '').trim();
    return attempt(r.row, name, () => {
      if (!name) fail('BAD_NAME', 'The name is empty.');
      // As for assets: a missing column leaves the field as it is.
      const kindGiven = r.kind?.trim().toLowerCase() || undefined;
      if (kindGiven !== undefined && kindGiven !== 'person' && kindGiven !== 'team') fail('BAD_KIND', `Kind "${r.kind}" is not person or team.`);
      const orgGiven = r.org?.trim();
      const badge = (r.badge ?? '').trim();
      if (badge) {
        const repeat = badgesInFile.get(tagKey(badge));
        if (repeat !== undefined) fail('DUPLICATE_BADGE', `Badge ${badge} repeats row ${repeat}.`);
        badgesInFile.set(tagKey(badge), r.row);
      }
      const owner = badge ? state.barcodes.get(tagKey(badge)) : undefined;
      let existing = owner?.kind === 'holder' ? state.holders.get(owner.ref) : undefined;
      if (!badge) {
        const sameName = [...state.holders.values()].filter((h) => h.name.toLowerCase() === name.toLowerCase());
        if (sameName.length > 1) fail('AMBIGUOUS_HOLDER', `${sameName.length} holders are named ${name}; add their badge to the row.`);
        existing = sameName[0];
      }
      if (!existing) {
        if (badge) checkNewBarcode(state, 'badge', badge);
        newCount += 1;
        const id = `H-${String(state.counters.holders + newCount).padStart(4, '0')}`;
        return {
          result: { row: r.row, key: name, status: 'new', message: 'new holder' },
          events: [{ type: 'HolderRegistered', subject: id, data: { id, name, badge: badge || null, org: orgGiven ?? '', kind: kindGiven ?? 'person' } }],
        };
      }
      const from: JsonObject = {};
      const to: JsonObject = {};
      const wanted = { name, org: orgGiven, kind: kindGiven };
      for (const field of ['name', 'org', 'kind'] as const) {
        if (wanted[field] !== undefined && wanted[field] !== existing[field]) {
          from[field] = existing[field];
          to[field] = wanted[field];
        }
      }
      if (Object.keys(to).length === 0) return { result: { row: r.row, key: name, status: 'unchanged', message: 'no change' }, events: [] };
      return {
        result: { row: r.row, key: name, status: 'update', message: `changes ${Object.keys(to).join(', ')} of ${existing.id}` },
        events: [{ type: 'HolderUpdated', subject: existing.id, data: { from, to } }],
      };
    });
  });
}
