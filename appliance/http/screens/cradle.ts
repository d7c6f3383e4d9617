// A cradle upload on the kiosk: what the batch scanner read, and what the operator may make of it — an
// inventory sweep, a batch return, a batch issue to a holder — or dismiss it. Nothing changes custody
// until one of those is confirmed on its own screen.
import { keyOfSlotText } from '../../domain/state.ts';
import { tagKey } from '../../domain/tags.ts';
import type { CradleBatch } from '../../domain/types.ts';
import type { CradleBatchData, CradleBatchInfo, FromCradle } from '../../../ui/view-types.ts';
import { cradleBatchView } from '../../queries.ts';
import { notice, type ScreenContext, type ScreenSpec } from './spec.ts';

export function cradleBatchInfo(b: CradleBatch): CradleBatchInfo {
  return { batch: b.id, device: b.device, uploadedAt: b.uploadedAt, count: b.count, status: b.status, resolvedSeq: b.resolvedSeq };
}

export function pendingBatches(c: ScreenContext): CradleBatchInfo[] {
  return [...c.app.state().cradleBatches.values()].filter((b) => b.status === 'pending').sort((a, b) => b.lastSeq - a.lastSeq).map(cradleBatchInfo);
}

function batchOf(c: ScreenContext, id: string): CradleBatch | null {
  return c.app.state().cradleBatches.get(id.trim().toUpperCase()) ?? null;
}

export function cradleScreen(c: ScreenContext, id: string): ScreenSpec {
  const state = c.app.state();
  const batch = batchOf(c, id);
  if (!batch) return notice('Unknown upload', `There is no cradle upload ${id}.`, 404);
  const view = cradleBatchView(c.app, batch);
  const cases = new Set<string>();
  for (const s of view.scans) {
    if (s.kind === 'case' && s.ref) cases.add(s.ref);
    if (s.kind === 'slot' && s.ref) cases.add(s.ref.split('/')[0]!);
    const asset = s.kind === 'asset' && s.ref ? state.assets.get(tagKey(s.ref)) : undefined;
    const home = asset?.slot ?? asset?.home;
    if (home) cases.add(state.cases.get(keyOfSlotText(home).split('/')[0]!)?.label ?? '');
  }
  cases.delete('');
  const data: CradleBatchData = {
    batch: cradleBatchInfo(batch),
    scans: view.scans.map((s) => ({
      seq: s.seq, value: s.value, kind: s.kind, ref: s.ref, reason: s.reason, symbology: s.symbology, scannerTime: s.scanner_time, correctedTime: s.corrected_time,
    })),
    cases: [...cases].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })),
    signedIn: c.operator !== null,
  };
  return { screen: 'cradle', title: `Cradle upload ${batch.id}`, tag: 'cradle-screen', data };
}

/** The pending upload a batch or sweep screen was opened from; null when none was named or it is not pending. */
export function fromCradle(c: ScreenContext, id: string | undefined): FromCradle | null {
  const batch = id ? batchOf(c, id) : null;
  if (!batch || batch.status !== 'pending') return null;
  const scans = cradleBatchView(c.app, batch).scans.map((s) => ({ kind: s.kind, ref: s.ref, value: s.value }));
  return { batch: batch.id, count: batch.count, scans };
}
