// The cage's current state and the lookups decide() uses. Lookups refuse with a sentence; they never guess.
import { refuse } from './errors.ts';
import { cleanTag, parseSlotText, slotKey, tagKey } from './tags.ts';
import type { Asset, CageState, Case, Holder, Operator } from './types.ts';

export function initialState(deviceId = ''): CageState {
  return {
    deviceId,
    seq: 0,
    assets: new Map(),
    holders: new Map(),
    operators: new Map(),
    cases: new Map(),
    slots: new Map(),
    barcodes: new Map(),
    serials: new Map(),
    lastScans: new Map(),
    cradleRecords: new Map(),
    cradleBatches: new Map(),
    lastExport: null,
    openSweeps: new Map(),
    terms: null,
    returnsByOthers: [],
    counters: { holders: 0, operators: 0 },
    touched: new Set(),
  };
}

export function findAsset(state: CageState, ref: string): Asset {
  const key = tagKey(ref);
  const asset = key ? state.assets.get(key) : undefined;
  if (!asset) refuse('UNKNOWN_ASSET', `No asset with tag "${ref.trim()}" is registered.`, { tag: ref });
  return asset;
}

/** A holder by id (H-0001) or badge. An id that is also someone else's badge is ambiguous and refused. */
export function findHolder(state: CageState, ref: string): Holder {
  const byId = state.holders.get(ref.trim().toUpperCase());
  const owner = state.barcodes.get(tagKey(ref));
  const byBadge = owner?.kind === 'holder' ? state.holders.get(owner.ref) : undefined;
  if (byId && byBadge && byId !== byBadge) {
    refuse('AMBIGUOUS_HOLDER', `"${ref}" is both holder ${byId.id} (${byId.name}) and the badge of ${byBadge.name}; use the holder id.`);
  }
  const holder = byId ?? byBadge;
  if (!holder) refuse('UNKNOWN_HOLDER', `No holder with id or badge "${ref.trim()}" is registered.`, { holder: ref });
  return holder;
}

export function findOperatorByBadge(state: CageState, badge: string): Operator | undefined {
  const owner = state.barcodes.get(tagKey(badge));
  return owner?.kind === 'operator' ? state.operators.get(owner.ref) : undefined;
}

export function findOperator(state: CageState, ref: string): Operator {
  const op = state.operators.get(ref.trim().toUpperCase()) ?? findOperatorByBadge(state, ref);
  if (!op) refuse('UNKNOWN_OPERATOR', `No operator with id or badge "${ref.trim()}" is registered.`);
  return op;
}

export function findCase(state: CageState, ref: string): Case {
  const found = state.cases.get(tagKey(ref));
  if (!found) refuse('UNKNOWN_CASE', `No case labelled "${ref.trim()}" is registered.`, { case: ref });
  return found;
}

export interface ResolvedSlot {
  key: string;
  /** As displayed and stored: the case's registered label, a slash, the number. */
  text: string;
  caseLabel: string;
  n: number;
}

export function resolveSlot(state: CageState, text: string): ResolvedSlot {
  const ref = parseSlotText(text);
  if (!ref) refuse('BAD_SLOT', `"${text}" is not a slot; write it as CASE-LABEL/N, for example CASE-13/6.`);
  const found = state.cases.get(ref.caseKey);
  if (!found) refuse('UNKNOWN_CASE', `No case labelled "${text.slice(0, text.lastIndexOf('/')).trim()}" is registered.`);
  if (ref.n > found.slots) {
    refuse('BAD_SLOT', `Case ${found.label} has slots 1 to ${found.slots}; there is no slot ${ref.n}.`);
  }
  return { key: slotKey(ref), text: `${found.label}/${ref.n}`, caseLabel: found.label, n: ref.n };
}

export function slotOccupant(state: CageState, slot: ResolvedSlot): Asset | undefined {
  const key = state.slots.get(slot.key);
  return key ? state.assets.get(key) : undefined;
}

/** Slot text ("CASE-13/6") → its occupancy key, for slots already validated when stored. */
export function keyOfSlotText(text: string): string {
  const ref = parseSlotText(text);
  return ref ? slotKey(ref) : text;
}

export const MAX_TAG_LENGTH = 64;

/** A barcode (tag, badge, label) must be printable, not too long, and unused by anything else. */
export function checkNewBarcode(state: CageState, what: string, value: string): string {
  const clean = cleanTag(value);
  if (!clean) refuse('BAD_BARCODE', `The ${what} is empty.`);
  if (/[\u0000-\u001f\u007f-\u009f\ufffd]/.test(clean)) refuse('BAD_BARCODE', `The ${what} "${clean}" contains control characters or an unreadable character.`);
  if (clean.length > MAX_TAG_LENGTH) refuse('BAD_BARCODE', `The ${what} is longer than ${MAX_TAG_LENGTH} characters.`);
  if (clean.includes('/')) refuse('BAD_BARCODE', `The ${what} "${clean}" contains "/", which is reserved for slots (CASE/N).`);
  const owner = state.barcodes.get(tagKey(clean));
  if (owner) {
    const code = owner.kind === 'asset' && what === 'asset tag' ? 'DUPLICATE_TAG' : 'BARCODE_IN_USE';
    refuse(code, `The ${what} "${clean}" is already used by ${describeOwner(state, owner.kind, owner.ref)}.`, { existing: owner });
  }
  return clean;
}

function describeOwner(state: CageState, kind: string, ref: string): string {
  if (kind === 'asset') return `asset ${state.assets.get(ref)?.tag ?? ref}`;
  if (kind === 'holder') return `holder ${state.holders.get(ref)?.name ?? ref}`;
  if (kind === 'operator') return `operator ${state.operators.get(ref)?.name ?? ref}`;
  return `case ${state.cases.get(ref)?.label ?? ref}`;
}

