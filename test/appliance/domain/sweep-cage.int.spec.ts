// The whole-cage inventory sweep: every case at once, through the one write path (design §4, issue "Inventory sweep").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../../appliance/domain/types.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
beforeEach(() => { cage = openCage(); });
afterEach(() => cage.close());

const asset = (tag: string) => cage.app.state().assets.get(tag.replace(/[\s-]/g, '').toUpperCase())!;

/** Runs a sweep and returns the events it recorded (type, subject, data). */
function sweep(cmd: Command) {
  const outcome = cage.app.execute(cmd, { actor: cage.operator, source: 'console' },
    (events) => events.map((e) => ({ type: e.type, subject: e.subject, data: e.data })));
  if (!outcome.ok) throw new Error(`${outcome.error.code} ${outcome.error.message}`);
  return outcome.response as { type: string; subject: string; data: Record<string, unknown> }[];
}
function refused(cmd: Command) {
  const before = cage.app.store.head().seq;
  const outcome = cage.run(cmd);
  if (outcome.ok) throw new Error('the sweep was accepted');
  expect(cage.app.store.head().seq).toBe(before);
  return outcome.error;
}

describe('sweep of the whole cage', () => {
  // Small cage: CASE-1 holds LT-001/1, LT-002/2, LT-003/3; CASE-2 holds 0042/1; LT-LOOSE has no slot.
  it('sorts every case at once into verified, missing, wrong slot (across cases), unexpected and found', () => {
    cage.ok({ type: 'MarkMissing', tag: 'LT-003' });
    const events = sweep({ type: 'Sweep', cage: true, seen: ['LT-001@case-1/1', 'LT-002@CASE-2/2', 'lt 003', 'STRANGER@CASE-2/3', 'LT-LOOSE'] });
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'SweepCompleted', subject: 'CAGE' });
    expect(done.data).toEqual({
      case: null, scope: 'cage',
      cases: {
        'CASE-1': { expected: 3, verified: 2, missing: 0, wrong_slot: 0, unexpected: 0 },
        'CASE-2': { expected: 1, verified: 0, missing: 1, wrong_slot: 1, unexpected: 1 },
      },
      expected: ['0042', 'LT-001', 'LT-002', 'LT-003'],
      verified: ['LT-001', 'LT-003'], missing: ['0042'], unexpected: ['STRANGER'], wrong_slot: ['LT-002', 'LT-LOOSE'], found: ['LT-003'],
      started_seq: null, scan_seqs: [], // a one-shot sweep: not started beforehand, no scans of its own
    });
    expect(events.map((e) => `${e.type} ${e.subject}`)).toEqual([
      'AssetVerified LT-001', 'AssetVerified LT-002', 'AssetVerified LT-003', 'AssetFound LT-003', 'AssetVerified LT-LOOSE',
      'AssetMarkedMissing 0042', 'SweepCompleted CAGE',
    ]);
    expect(events[1]!.data).toEqual({ case: 'CASE-2', seen_at: 'CASE-2/2', recorded_slot: 'CASE-1/2', outcome: 'wrong_slot', scope: 'cage' });
    expect(events[2]!.data).toEqual({ case: null, seen_at: null, recorded_slot: 'CASE-1/3', outcome: 'verified', scope: 'cage' });
    expect(events[3]!.data).toEqual({ reason: 'seen in sweep of the whole cage' });
    expect(events[5]!.data).toEqual({ reason: 'not seen in sweep of the whole cage' });
    expect(asset('0042').missing).toBe(true);
    expect(asset('LT-003').missing).toBe(false);
    expect(asset('LT-001').lastSeenAt).toBe('2026-03-15T09:00:00.000Z');
  });

  it('counts an issued asset seen in a case as unexpected, and does not mark the missing again', () => {
    cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' });
    cage.ok({ type: 'MarkMissing', tag: '0042' });
    const events = sweep({ type: 'Sweep', cage: true, seen: ['LT-001@CASE-2/2', 'LT-002@CASE-1/2', 'LT-003@CASE-1/3'] });
    expect(events.at(-1)!.data).toMatchObject({ verified: ['LT-002', 'LT-003'], unexpected: ['LT-001'], missing: ['0042'], wrong_slot: [] });
    expect(events.filter((e) => e.type === 'AssetMarkedMissing')).toEqual([]);
    expect((events.at(-1)!.data.cases as Record<string, unknown>)['CASE-2']).toEqual({ expected: 1, verified: 0, missing: 1, wrong_slot: 0, unexpected: 1 });
  });

  it('wants positions as TAG@CASE/N, and keeps TAG@N for a sweep of one case', () => {
    expect(refused({ type: 'Sweep', cage: true, seen: ['LT-001@1'] })).toMatchObject({
      code: 'BAD_SLOT', message: '"LT-001@1": in a sweep of the whole cage, say the case too, as TAG@CASE/N.',
    });
    expect(refused({ type: 'Sweep', cage: true, seen: ['LT-001@CASE-9/1'] }).code).toBe('UNKNOWN_CASE');
    expect(refused({ type: 'Sweep', cage: true, seen: ['LT-001@CASE-2/4'] }).code).toBe('BAD_SLOT');
    expect(refused({ type: 'Sweep', case: 'CASE-1', seen: ['LT-001@CASE-1/1'] }).code).toBe('BAD_SLOT');
  });

  it('leaves the sweep of one case as it was', () => {
    const events = sweep({ type: 'Sweep', case: 'CASE-2', seen: ['0042@1', 'LT-001@2'] });
    expect(events.at(-1)).toEqual({
      type: 'SweepCompleted', subject: 'CASE-2',
      data: { case: 'CASE-2', expected: ['0042'], verified: ['0042'], missing: [], unexpected: [], wrong_slot: ['LT-001'], found: [], started_seq: null, scan_seqs: [] },
    });
    expect(events[1]!.data).toEqual({ case: 'CASE-2', seen_at: 'CASE-2/2', recorded_slot: 'CASE-1/1', outcome: 'wrong_slot' });
  });
});
