// Screen 6, batch: many assets (scanned one by one, or a case label for all its occupants), each row
// ready or blocked with the rules' reason; one Confirm commits all or nothing.
import { DomainError } from '../../domain/errors.ts';
import { findHolder, keyOfSlotText } from '../../domain/state.ts';
import { tagKey } from '../../domain/tags.ts';
import type { BatchData, BatchRow } from '../../../ui/view-types.ts';
import { refusalOf } from '../dry-run.ts';
import { activeHolders, holderInfo, holdingCounts } from '../views.ts';
import { fromCradle } from './cradle.ts';
import { defaultDue, receiptSetup } from './receipt.ts';
import { actorOf, type ScreenContext, type ScreenSpec } from './spec.ts';

export type BatchMode = 'issue' | 'return';

export const batchMode = (raw: unknown): BatchMode => (raw === 'return' ? 'return' : 'issue');

/** Tags a scanned code adds: an asset's tag, or the assets a case holds (issue) or is home to and are out (return). */
function expand(c: ScreenContext, mode: BatchMode, code: string): string[] {
  const state = c.app.state();
  const owner = state.barcodes.get(tagKey(code));
  if (owner?.kind === 'asset') return [state.assets.get(owner.ref)!.tag];
  if (owner?.kind !== 'case') return [code];
  const prefix = `${owner.ref}/`;
  const inCase = (slot: string | null) => slot !== null && keyOfSlotText(slot).startsWith(prefix);
  return [...state.assets.values()]
    .filter((a) => (mode === 'issue' ? inCase(a.slot) : a.state === 'issued' && inCase(a.home)))
    .sort((a, b) => a.tag.localeCompare(b.tag, undefined, { numeric: true }))
    .map((a) => a.tag);
}

export function batchRows(c: ScreenContext, mode: BatchMode, holderRef: string | undefined, tags: string[], add?: string): { tags: string[]; rows: BatchRow[] } {
  const state = c.app.state();
  const all = [...tags, ...(add ? expand(c, mode, add) : [])];
  const seen = new Set<string>();
  const unique = all.filter((t) => {
    const key = tagKey(t);
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  let holder: string | undefined;
  try {
    holder = holderRef ? findHolder(state, holderRef).id : [...state.holders.values()].find((h) => h.active)?.id;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
  }
  const actor = actorOf(c.operator);
  const rows = unique.map((tag): BatchRow => {
    const asset = state.assets.get(tagKey(tag));
    if (!asset) return { tag, model: '', ready: false, reason: `No asset with tag "${tag}" is registered.` };
    const reason = mode === 'issue'
      ? (holder ? refusalOf(c.app, actor, { type: 'Issue', tags: [asset.tag], holder }) : 'No active holder is registered.')
      : refusalOf(c.app, actor, { type: 'Return', tags: [asset.tag] });
    const row: BatchRow = { tag: asset.tag, model: [asset.make, asset.model].filter(Boolean).join(' '), ready: reason === null, reason: reason ?? '' };
    return mode === 'issue' ? { ...row, due: defaultDue(c, asset) } : { ...row, holderId: asset.holderId };
  });
  return { tags: rows.map((r) => r.tag), rows };
}

export function batchScreen(c: ScreenContext, mode: BatchMode, holderRef: string | undefined, caseLabel: string | undefined, cradleBatch?: string): ScreenSpec {
  const state = c.app.state();
  const cradle = fromCradle(c, cradleBatch);
  // From a cradle upload: its assets, and the holder badge it read last.
  const holderScan = cradle?.scans.filter((s) => s.kind === 'holder').at(-1);
  let holder = null;
  try {
    const ref = holderRef ?? (mode === 'issue' ? holderScan?.ref ?? undefined : undefined);
    holder = ref ? findHolder(state, ref) : null;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
  }
  let rows: BatchRow[] = caseLabel ? batchRows(c, mode, holder?.id, [], caseLabel).rows : [];
  if (cradle) {
    let tags: string[] = [];
    // Only what the scanner read as assets (or could not place): a case label in an upload marks where the
    // operator was, not "everything in this case".
    for (const scan of cradle.scans.filter((s) => s.kind === 'asset' || s.kind === 'unknown')) {
      tags = batchRows(c, mode, holder?.id, tags, scan.ref ?? scan.value).tags;
    }
    rows = batchRows(c, mode, holder?.id, tags).rows;
  }
  const data: BatchData = {
    mode,
    holder: holder ? holderInfo(holder, holdingCounts(state)) : null,
    holders: activeHolders(state),
    rows,
    undoSeconds: c.config.undoSeconds,
    cradle,
    receipt: receiptSetup(c),
  };
  return { screen: 'batch', title: mode === 'issue' ? 'Batch issue' : 'Batch return', tag: 'batch-screen', data };
}
