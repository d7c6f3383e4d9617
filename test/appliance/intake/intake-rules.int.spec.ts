// Intake's rules on a real store: classification with prefixes, one scan whichever path saw it, and
// cradle uploads — recorded once, changing no custody until an operator uses or dismisses them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffProjections } from '../../../appliance/store/projections.ts';
import { findAsset } from '../../../appliance/domain/state.ts';
import type { Command, CradleRecordInput, JsonObject } from '../../../appliance/domain/types.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
beforeEach(() => {
  cage = openCage({ env: { ASSETTRACK_SCAN_PREFIXES: 'asset=LT-,LAP-;holder=EMP-;operator=OPR-;case=CASE-' } });
});
afterEach(() => cage.close());

function scan(text: string, device: string, source: 'wedge' | 'hid' = 'wedge'): JsonObject {
  const outcome = cage.app.execute({ type: 'RecordScan', text, rawHex: Buffer.from(text).toString('hex'), source, device },
    { actor: { kind: 'system' }, source }, (events) => events[0]!.data);
  if (!outcome.ok) throw outcome.error;
  return outcome.response;
}

function record(text: string, n: number): CradleRecordInput {
  const at = `2026-03-15T08:${String(n).padStart(2, '0')}:00.000Z`;
  return { key: `key-${text}-${n}`, text, rawHex: Buffer.from(text).toString('hex'), symbology: 'Code 128', scannerTime: at, correctedTime: at };
}

function upload(records: CradleRecordInput[]) {
  const cmd: Command = {
    type: 'RecordCradleUpload', device: 'opn2004:4711081519000001', serial: '000001', firmware: 'RBBV0014',
    clockOffsetMs: -4000, scannerClock: '2026-03-15T08:59:56.000Z', hostClock: '2026-03-15T09:00:00.000Z', records,
  };
  const outcome = cage.app.execute(cmd, { actor: { kind: 'system' }, source: 'cradle' }, (events) => events.map((e) => ({ type: e.type, seq: e.seq, data: e.data })));
  if (!outcome.ok) throw outcome.error;
  return outcome.response;
}

describe('classification', () => {
  it('names what an unregistered code looks like from the configured prefixes, after lookup', () => {
    expect(scan('LT-999', 'w1')).toMatchObject({ kind: 'unknown', looks_like: 'asset', reason: 'LT-999 looks like an asset tag but is not registered' });
    expect(scan('emp-77', 'w1')).toMatchObject({ kind: 'unknown', looks_like: 'holder' });
    expect(scan('CASE-9', 'w1')).toMatchObject({ kind: 'unknown', looks_like: 'case' });
    expect(scan('ZZZ-1', 'w1')).toMatchObject({ kind: 'unknown', reason: 'not a registered tag, badge or label' });
    // a registered code is what it is registered as, whatever a prefix says
    expect(scan('LT-001', 'w1')).toMatchObject({ kind: 'asset', ref: 'LT-001' });
    expect(scan('OPR-1', 'w1')).toMatchObject({ kind: 'operator' });
  });

  it('rejects what the device listeners mark as garbled (an unknown key is U+FFFD)', () => {
    expect(scan('LT-0\ufffd1', 'w1')).toMatchObject({ kind: 'rejected', reason: 'control characters in scan (garbled read)' });
  });

  it('acts once on a wedge scan that reached the log through the device listener and the kiosk page', () => {
    expect(scan('LT-002', '/dev/input/by-id/usb-scanner-event-kbd').duplicate).toBe(false);
    cage.clock.advance(40);
    expect(scan('LT-002', 'kiosk-browser').duplicate).toBe(true);
    cage.clock.advance(2000);
    expect(scan('LT-002', 'kiosk-browser').duplicate).toBe(false);
    cage.clock.advance(30);
    expect(scan('LT-002', '/dev/input/by-id/usb-scanner-event-kbd').duplicate).toBe(true);
    // a HID scanner is another scanner
    expect(scan('LT-002', 'hid:05e0:1200', 'hid').duplicate).toBe(false);
  });
});

describe('cradle uploads', () => {
  it('records one scan per record and one CradleUploaded event, in one transaction, with both times kept', () => {
    const head = cage.app.store.head().seq;
    const events = upload([record('LT-001', 1), record('LT-002', 2), record('NOPE', 3)]);
    expect(events.map((e) => e.type)).toEqual(['ScanCaptured', 'ScanCaptured', 'ScanCaptured', 'CradleUploaded']);
    expect(events[0]!.seq).toBe(head + 1);
    expect(events[0]!.data).toMatchObject({ source: 'cradle', kind: 'asset', ref: 'LT-001', symbology: 'Code 128', scanner_time: '2026-03-15T08:01:00.000Z', batch: `U${head + 1}` });
    expect(events[2]!.data).toMatchObject({ kind: 'unknown', reason: 'not a registered tag, badge or label' });
    expect(events[3]!.data).toMatchObject({ batch: `U${head + 1}`, device_id: 'opn2004:4711081519000001', firmware: 'RBBV0014', uploaded: 3, recorded: 3, already_recorded: 0, clock_offset_ms: -4000 });
    // last seen is when the scanner read it, not when it was uploaded
    expect(findAsset(cage.app.state(), 'LT-001').lastSeenAt).toBe('2026-03-15T08:01:00.000Z');
    // no custody changed
    expect(findAsset(cage.app.state(), 'LT-001').state).toBe('in_storage');
    expect(cage.app.state().cradleBatches.get(`U${head + 1}`)).toMatchObject({ status: 'pending', count: 3, firstSeq: head + 1, lastSeq: head + 4 });
  });

  it('records nothing twice when the same records come again (the clear failed)', () => {
    upload([record('LT-001', 1), record('LT-002', 2)]);
    const head = cage.app.store.head().seq;
    expect(upload([record('LT-001', 1), record('LT-002', 2)])).toEqual([]);
    expect(cage.app.store.head().seq).toBe(head);
    const again = upload([record('LT-001', 1), record('LT-002', 2), record('LT-003', 4)]);
    expect(again.map((e) => e.type)).toEqual(['ScanCaptured', 'CradleUploaded']);
    expect(again[1]!.data).toMatchObject({ uploaded: 3, recorded: 1, already_recorded: 2 });
  });

  it('turns a pending batch into a batch issue once; a used batch cannot be used again', () => {
    const [first] = upload([record('LT-001', 1), record('LT-002', 2)]);
    const batch = String(first!.data.batch);
    cage.ok({ type: 'Issue', tags: ['LT-001', 'LT-002'], holder: 'EMP-1', batch });
    expect(cage.app.state().cradleBatches.get(batch)).toMatchObject({ status: 'used' });
    const issued = cage.app.store.eventsOfSubject('LT-001').at(-1)!;
    expect(issued).toMatchObject({ type: 'AssetIssued', data: { batch } });
    const again = cage.run({ type: 'Return', tags: ['LT-001'], batch });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error).toMatchObject({ code: 'BATCH_NOT_PENDING' });
  });

  it('uses a batch for a sweep, and dismisses another with a reason', () => {
    const [a] = upload([record('LT-001', 1), record('LT-002', 2)]);
    cage.ok({ type: 'Sweep', case: 'CASE-1', seen: ['LT-001', 'LT-002'], batch: String(a!.data.batch) });
    expect(cage.app.state().cradleBatches.get(String(a!.data.batch))!.status).toBe('used');
    const [b] = upload([record('LT-003', 5)]);
    const refused = cage.run({ type: 'DismissCradleBatch', batch: String(b!.data.batch) }, { kind: 'system' });
    expect(refused.ok).toBe(false); // an operator dismisses, not the box
    cage.ok({ type: 'DismissCradleBatch', batch: String(b!.data.batch), reason: 'test scans' });
    expect(cage.app.state().cradleBatches.get(String(b!.data.batch))).toMatchObject({ status: 'dismissed' });
    expect(cage.run({ type: 'DismissCradleBatch', batch: 'U999999' }).ok).toBe(false);
  });
});

describe('cradle projections', () => {
  it('equal a replay of the log after uploads, uses and dismissals', () => {
    const [a] = upload([record('LT-001', 1), record('LT-002', 2)]);
    const [b] = upload([record('LT-001', 1), record('0042', 9)]);
    cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-2', batch: String(a!.data.batch) });
    cage.ok({ type: 'DismissCradleBatch', batch: String(b!.data.batch) });
    const replayed = cage.app.store.replay();
    expect(diffProjections(cage.app.store.db, replayed)).toEqual([]);
    expect(replayed.cradleRecords.size).toBe(3);
  });
});
