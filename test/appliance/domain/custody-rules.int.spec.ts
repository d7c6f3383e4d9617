// Every custody invariant of design §4, through the one write path, with the message a person sees.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../../appliance/domain/types.ts';
import { verifyChain } from '../../../appliance/store/verify-chain.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
beforeEach(() => { cage = openCage(); });
afterEach(() => cage.close());

function refused(cmd: Command, actor = cage.operator) {
  const before = cage.app.store.head().seq;
  const outcome = cage.run(cmd, actor);
  if (outcome.ok) throw new Error(`${cmd.type} was accepted`);
  expect(cage.app.store.head().seq).toBe(before); // a refusal writes nothing
  return outcome.error;
}
const asset = (tag: string) => cage.app.state().assets.get(tag.replace(/[\s-]/g, '').toUpperCase())!;

describe('tags', () => {
  it('keeps leading zeros and finds a tag whatever its case, spaces and hyphens', () => {
    cage.ok({ type: 'Issue', tags: ['0042'], holder: 'EMP-1' });
    expect(asset('0042').state).toBe('issued');
    expect(cage.app.state().assets.has('42')).toBe(false);
    cage.ok({ type: 'Issue', tags: [' lt 001 '], holder: 'EMP-1' });
    cage.ok({ type: 'Return', tags: ['Lt-0-01'] });
    expect(asset('LT-001').slot).toBe('CASE-1/1');
  });

  it('refuses a tag that normalizes like an existing one', () => {
    const e = refused({ type: 'RegisterAsset', tag: 'lt 001', serial: 'X-1' }, cage.admin);
    expect(e.code).toBe('DUPLICATE_TAG');
    expect(e.message).toBe('The asset tag "lt 001" is already used by asset LT-001.');
  });

  it('refuses a tag equal to a badge or case label, and tags with control characters or "/"', () => {
    expect(refused({ type: 'RegisterAsset', tag: 'emp-1', serial: 'X-2' }, cage.admin).code).toBe('BARCODE_IN_USE');
    expect(refused({ type: 'RegisterAsset', tag: 'case 1', serial: 'X-2' }, cage.admin).message).toContain('case CASE-1');
    expect(refused({ type: 'RegisterAsset', tag: 'A\u0007B', serial: 'X-2' }, cage.admin).message).toContain('control characters');
    expect(refused({ type: 'RegisterAsset', tag: 'A/B', serial: 'X-2' }, cage.admin).code).toBe('BAD_BARCODE');
    expect(refused({ type: 'RegisterAsset', tag: '   ', serial: 'X-2' }, cage.admin).message).toBe('The asset tag is empty.');
  });

  it('refuses a serial used by another asset', () => {
    const e = refused({ type: 'RegisterAsset', tag: 'LT-777', serial: 'sn 001' }, cage.admin);
    expect(e).toMatchObject({ code: 'DUPLICATE_SERIAL', message: 'Serial sn 001 belongs to LT-001.' });
  });

  it('says plainly when a tag is unknown', () => {
    expect(refused({ type: 'Issue', tags: ['NOPE-1'], holder: 'EMP-1' })).toMatchObject({
      code: 'UNKNOWN_ASSET', message: 'No asset with tag "NOPE-1" is registered.',
    });
  });
});

describe('issue', () => {
  it('frees the slot, records holder and since', () => {
    cage.clock.advance(60_000);
    cage.ok({ type: 'Issue', tags: ['lt001'], holder: 'EMP-1' });
    const a = asset('LT-001');
    expect(a).toMatchObject({ state: 'issued', holderId: 'H-0001', slot: null, home: 'CASE-1/1', since: '2026-03-15T09:01:00.000Z' });
    expect(cage.app.state().slots.has('CASE1/1')).toBe(false);
  });

  it('needs a signed-in operator, an active holder, an asset in storage', () => {
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' }, { kind: 'console' }).code).toBe('OPERATOR_REQUIRED');
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-9' })).toMatchObject({
      code: 'UNKNOWN_HOLDER', message: 'No holder with id or badge "EMP-9" is registered.',
    });
    cage.ok({ type: 'DeactivateHolder', holder: 'EMP-2' }, cage.admin);
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-2' })).toMatchObject({
      code: 'HOLDER_INACTIVE', message: 'Chloe Chen is deactivated and cannot receive equipment.',
    });
    cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' });
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'TEAM-1' })).toMatchObject({
      code: 'ALREADY_ISSUED', message: 'LT-001 is already issued to Bob Baker since 2026-03-15T09:00:00.000Z.',
    });
  });

  it('refuses retired, missing and unserviceable assets', () => {
    cage.ok({ type: 'Retire', tag: 'LT-002', reason: 'broken screen' }, cage.admin);
    expect(refused({ type: 'Issue', tags: ['LT-002'], holder: 'EMP-1' }).message).toBe('LT-002 is retired and cannot be issued.');
    cage.ok({ type: 'MarkMissing', tag: 'LT-003' });
    expect(refused({ type: 'Issue', tags: ['LT-003'], holder: 'EMP-1' }).code).toBe('ASSET_MISSING');
    cage.ok({ type: 'ChangeCondition', tag: '0042', condition: 'in repair' });
    expect(refused({ type: 'Issue', tags: ['0042'], holder: 'EMP-1' }).message).toBe('0042 is in repair and cannot be issued.');
  });

  it('is all or nothing for a batch, naming every blocked asset', () => {
    cage.ok({ type: 'Issue', tags: ['LT-003'], holder: 'EMP-2' });
    const e = refused({ type: 'Issue', tags: ['LT-001', 'LT-003', '0042'], holder: 'EMP-1' });
    expect(e.code).toBe('BATCH_REFUSED');
    expect(e.message).toMatch(/^1 of 3 assets cannot be issued, so none was: LT-003 is already issued to Chloe Chen/);
    expect(e.details.problems).toEqual([expect.objectContaining({ tag: 'LT-003', code: 'ALREADY_ISSUED' })]);
    expect(asset('LT-001').state).toBe('in_storage');
    expect(asset('0042').state).toBe('in_storage');
    expect(refused({ type: 'Issue', tags: ['LT-001', 'lt 001'], holder: 'EMP-1' }).code).toBe('DUPLICATE_IN_BATCH');
    expect(refused({ type: 'Issue', tags: [], holder: 'EMP-1' }).code).toBe('NO_ASSETS');
  });
});

describe('return', () => {
  beforeEach(() => cage.ok({ type: 'Issue', tags: ['LT-001', 'LT-002'], holder: 'EMP-1' }));

  it('goes to the home slot by default', () => {
    cage.ok({ type: 'Return', tags: ['LT-001'] });
    expect(asset('LT-001')).toMatchObject({ state: 'in_storage', holderId: null, slot: 'CASE-1/1' });
  });

  it('refuses an occupied destination and offers the choice', () => {
    cage.ok({ type: 'Move', tag: 'LT-003', slot: 'CASE-1/1' });
    expect(refused({ type: 'Return', tags: ['LT-001'] })).toMatchObject({
      code: 'SLOT_OCCUPIED', message: 'Its home slot CASE-1/1 holds LT-003; choose an empty slot for LT-001.',
    });
    expect(refused({ type: 'Return', tags: ['LT-001'], slot: 'case-2/1' }).message).toBe('Slot CASE-2/1 holds 0042; choose an empty slot for LT-001.');
    cage.ok({ type: 'Return', tags: ['LT-001'], slot: 'CASE-2/3' });
    expect(asset('LT-001')).toMatchObject({ slot: 'CASE-2/3', home: 'CASE-1/1' });
  });

  it('refuses slots that do not exist and assets that are not issued', () => {
    expect(refused({ type: 'Return', tags: ['LT-001'], slot: 'CASE-2/9' }).message).toBe('Case CASE-2 has slots 1 to 3; there is no slot 9.');
    expect(refused({ type: 'Return', tags: ['LT-001'], slot: 'CASE-7/1' }).code).toBe('UNKNOWN_CASE');
    expect(refused({ type: 'Return', tags: ['LT-001'], slot: 'nonsense' }).code).toBe('BAD_SLOT');
    expect(refused({ type: 'Return', tags: ['LT-003'] }).message).toBe('LT-003 is in storage, not issued; there is nothing to return.');
  });

  it('returns a batch all or nothing and needs home slots for it', () => {
    cage.ok({ type: 'Move', tag: 'LT-003', slot: 'CASE-1/2' });
    const e = refused({ type: 'Return', tags: ['LT-001', 'LT-002'] });
    expect(e.code).toBe('BATCH_REFUSED');
    expect(asset('LT-001').state).toBe('issued');
    expect(refused({ type: 'Return', tags: ['LT-001', 'LT-002'], slot: 'CASE-2/2' }).code).toBe('SLOT_FOR_BATCH');
  });

  it('needs a slot for an asset that never had one', () => {
    cage.ok({ type: 'Issue', tags: ['LT-LOOSE'], holder: 'EMP-2' });
    expect(refused({ type: 'Return', tags: ['LT-LOOSE'] }).code).toBe('NO_HOME_SLOT');
    cage.ok({ type: 'Return', tags: ['LT-LOOSE'], slot: 'CASE-2/2' });
    expect(asset('LT-LOOSE')).toMatchObject({ slot: 'CASE-2/2', home: 'CASE-2/2' });
  });
});

describe('slots, move, retire, condition, missing', () => {
  it('keeps one asset per slot and one slot per asset', () => {
    expect(refused({ type: 'Move', tag: 'LT-001', slot: 'CASE-1/2' }).message).toBe('Slot CASE-1/2 holds LT-002.');
    expect(refused({ type: 'Move', tag: 'LT-001', slot: 'CASE-1/1' }).code).toBe('NO_CHANGE');
    expect(refused({ type: 'RegisterAsset', tag: 'LT-900', serial: 'SN-900', slot: 'CASE-1/1' }, cage.admin).code).toBe('SLOT_OCCUPIED');
    cage.ok({ type: 'Move', tag: 'LT-001', slot: 'CASE-1/4' });
    const state = cage.app.state();
    expect(state.slots.get('CASE1/4')).toBe('LT001');
    expect(state.slots.has('CASE1/1')).toBe(false);
    expect(asset('LT-001').home).toBe('CASE-1/4');
  });

  it('keeps retired assets out of every change', () => {
    expect(refused({ type: 'Retire', tag: 'LT-001', reason: ' ' }, cage.admin).code).toBe('REASON_REQUIRED');
    expect(refused({ type: 'Retire', tag: 'LT-001', reason: 'old' }).code).toBe('ADMIN_REQUIRED');
    cage.ok({ type: 'Retire', tag: 'LT-001', reason: 'end of life' }, cage.admin);
    expect(asset('LT-001')).toMatchObject({ state: 'retired', slot: null });
    expect(refused({ type: 'Move', tag: 'LT-001', slot: 'CASE-1/4' }).message).toBe('LT-001 is retired and cannot be moved.');
    expect(refused({ type: 'UpdateAsset', tag: 'LT-001', notes: 'x' }, cage.admin).message).toBe('LT-001 is retired and cannot be edited.');
    expect(refused({ type: 'ChangeCondition', tag: 'LT-001', condition: 'degraded' }).code).toBe('ASSET_RETIRED');
    expect(refused({ type: 'Retire', tag: 'LT-001', reason: 'again' }, cage.admin).code).toBe('ALREADY_RETIRED');
    cage.ok({ type: 'Issue', tags: ['LT-002'], holder: 'EMP-1' });
    expect(refused({ type: 'Retire', tag: 'LT-002', reason: 'x' }, cage.admin).code).toBe('ASSET_ISSUED');
  });

  it('validates conditions and missing/found', () => {
    expect(refused({ type: 'ChangeCondition', tag: 'LT-001', condition: 'sparkly' }).message)
      .toBe('"sparkly" is not a condition; use one of: operational, degraded, in_repair, out_of_service.');
    expect(refused({ type: 'Found', tag: 'LT-001' }).code).toBe('NOT_MISSING');
    cage.ok({ type: 'MarkMissing', tag: 'LT-001' });
    expect(refused({ type: 'MarkMissing', tag: 'LT-001' }).code).toBe('ALREADY_MISSING');
    cage.ok({ type: 'Found', tag: 'LT-001' });
    expect(asset('LT-001').missing).toBe(false);
  });
});

describe('sweep', () => {
  it('sorts what was seen into verified, missing, unexpected and wrong slot', () => {
    cage.ok({ type: 'Issue', tags: ['0042'], holder: 'EMP-1' });
    const outcome = cage.app.execute(
      { type: 'Sweep', case: 'case-1', seen: ['LT-001@1', 'LT-002@3', '0042', 'STRANGER', 'LT-LOOSE'] },
      { actor: cage.operator, source: 'console' }, (events) => events.at(-1)!.data,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.response).toMatchObject({
      expected: ['LT-001', 'LT-002', 'LT-003'], verified: ['LT-001'], wrong_slot: ['LT-002', 'LT-LOOSE'],
      unexpected: ['0042', 'STRANGER'], missing: ['LT-003'],
    });
    expect(asset('LT-003').missing).toBe(true);
    expect(asset('LT-001').lastSeenAt).toBe('2026-03-15T09:00:00.000Z');
    // a second sweep that sees it again records it found
    cage.ok({ type: 'Sweep', case: 'CASE-1', seen: ['LT-003'] });
    expect(asset('LT-003').missing).toBe(false);
  });
});

describe('people', () => {
  it('enrols the first operator only as an admin, then only admins enrol', () => {
    const fresh = openCage({ seed: false });
    try {
      const first = fresh.app.registerOperator({ name: 'X', badge: 'B-1', pin: '1234', role: 'operator' }, { actor: { kind: 'system' }, source: 'touch' });
      expect(first.ok || first.error.code).toBe('FIRST_MUST_BE_ADMIN');
      const admin = fresh.app.registerOperator({ name: 'X', badge: 'B-1', pin: '1234', role: 'admin' }, { actor: { kind: 'system' }, source: 'touch' });
      expect(admin.ok).toBe(true);
      const second = fresh.app.registerOperator({ name: 'Y', badge: 'B-2', pin: '1234', role: 'admin' }, { actor: { kind: 'system' }, source: 'touch' });
      expect(second.ok || second.error.code).toBe('OPERATOR_REQUIRED');
    } finally {
      fresh.close();
    }
  });

  it('refuses weak PINs, duplicate badges and removing the last admin', () => {
    const weak = cage.app.registerOperator({ name: 'Z', badge: 'B-9', pin: '12', role: 'operator' }, { actor: cage.admin, source: 'console' });
    expect(weak.ok || weak.error.message).toBe('A PIN is 4 to 8 digits.');
    const dup = cage.app.registerOperator({ name: 'Z', badge: 'opr 1', pin: '1234', role: 'operator' }, { actor: cage.admin, source: 'console' });
    expect(dup.ok || dup.error.code).toBe('BARCODE_IN_USE');
    expect(refused({ type: 'DeactivateOperator', operator: 'ADM-1' }, cage.admin).code).toBe('LAST_ADMIN');
    expect(refused({ type: 'RegisterHolder', name: 'X', badge: 'EMP-1' }, cage.admin).code).toBe('BARCODE_IN_USE');
    expect(refused({ type: 'RegisterHolder', name: '  ' }, cage.admin).code).toBe('BAD_NAME');
  });

  it('never puts a PIN or its hash into the event log', () => {
    const all = [...cage.app.store.readEvents()].map((e) => JSON.stringify(e)).join('\n');
    expect(all).not.toContain('scrypt');
    expect(all).not.toContain('1234');
  });
});

describe('corrections', () => {
  it('undoes a mistaken issue with a new event that references it; history keeps both', () => {
    cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-2' });
    const issued = cage.app.store.head().seq;
    const target = cage.app.store.event(issued)!;
    cage.clock.advance(61_000); // past the operator's own undo window
    expect(refused({ type: 'Correct', target, reason: 'wrong person' }).code).toBe('ADMIN_REQUIRED');
    cage.ok({ type: 'Correct', target, reason: 'wrong person' }, cage.admin);
    expect(asset('LT-001')).toMatchObject({ state: 'in_storage', holderId: null, slot: 'CASE-1/1', since: '2026-03-15T09:00:00.000Z' });
    const correction = cage.app.store.event(issued + 1)!;
    expect(correction).toMatchObject({ type: 'EventCorrected', data: { corrects_seq: issued, corrects_type: 'AssetIssued', reason: 'wrong person' } });
    expect(cage.app.store.event(issued)!.type).toBe('AssetIssued');
  });

  it('lets an operator undo their own change within a minute, and nobody else\'s', () => {
    cage.ok({ type: 'Issue', tags: ['LT-002'], holder: 'EMP-1' }, cage.admin);
    const theirs = cage.app.store.event(cage.app.store.head().seq)!;
    expect(refused({ type: 'Correct', target: theirs, reason: 'undo' }).code).toBe('ADMIN_REQUIRED');
    cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-2' });
    const mine = cage.app.store.event(cage.app.store.head().seq)!;
    cage.clock.advance(10_000);
    cage.ok({ type: 'Correct', target: mine, reason: 'Undo at the kiosk' });
    expect(asset('LT-001')).toMatchObject({ state: 'in_storage', slot: 'CASE-1/1' });
    cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-2' });
    const late = cage.app.store.event(cage.app.store.head().seq)!;
    cage.clock.advance(60_001);
    expect(refused({ type: 'Correct', target: late, reason: 'undo' }).code).toBe('ADMIN_REQUIRED');
  });

  it('corrects only the latest change of an asset', () => {
    cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-2' });
    const issued = cage.app.store.event(cage.app.store.head().seq)!;
    cage.ok({ type: 'Return', tags: ['LT-001'] });
    expect(refused({ type: 'Correct', target: issued, reason: 'x' }, cage.admin).code).toBe('NOT_LATEST');
    const registered = cage.app.store.event(1)!;
    expect(refused({ type: 'Correct', target: registered, reason: 'x' }, cage.admin).code).toBe('NOT_CORRECTABLE');
  });
});

describe('scans', () => {
  const scan = (text: string, device = 'wedge-1') => {
    const outcome = cage.app.execute({ type: 'RecordScan', text, rawHex: Buffer.from(text).toString('hex'), source: 'wedge', device },
      { actor: { kind: 'system' }, source: 'wedge' }, (events) => events[0]!.data);
    if (!outcome.ok) throw outcome.error;
    return outcome.response;
  };

  it('classifies every kind of barcode by lookup', () => {
    expect(scan('lt-001\r\n')).toMatchObject({ kind: 'asset', ref: 'LT-001', value: 'lt-001', duplicate: false });
    expect(scan('EMP-1')).toMatchObject({ kind: 'holder', ref: 'H-0001' });
    expect(scan('OPR-1')).toMatchObject({ kind: 'operator' });
    expect(scan('CASE-2')).toMatchObject({ kind: 'case', ref: 'CASE-2' });
    expect(scan('case-2/3')).toMatchObject({ kind: 'slot', ref: 'CASE-2/3' });
    expect(scan('WHO-KNOWS')).toMatchObject({ kind: 'unknown', reason: 'not a registered tag, badge or label' });
  });

  it('records garbled and over-long scans as rejected, with the raw bytes kept', () => {
    expect(scan('LT\u0000001')).toMatchObject({ kind: 'rejected', reason: 'control characters in scan (garbled read)', raw_hex: '4c5400303031' });
    expect(scan('X'.repeat(500))).toMatchObject({ kind: 'rejected', reason: 'scan longer than 128 characters' });
    expect(scan('  ')).toMatchObject({ kind: 'rejected', reason: 'empty scan' });
  });

  it('treats the same code from the same source within 750 ms as one scan', () => {
    expect(scan('LT-002').duplicate).toBe(false);
    cage.clock.advance(500);
    expect(scan('LT-002').duplicate).toBe(true);
    expect(scan('LT-002', 'wedge-2').duplicate).toBe(false); // another scanner: another scan
    cage.clock.advance(800);
    expect(scan('LT-002').duplicate).toBe(false);
  });

  it('updates last seen and files the scan under the asset', () => {
    cage.clock.advance(5000);
    scan('lt 003');
    expect(asset('LT-003').lastSeenAt).toBe('2026-03-15T09:00:05.000Z');
    expect(cage.app.store.eventsOfSubject('LT-003').at(-1)!.type).toBe('ScanCaptured');
  });
});

describe('idempotency', () => {
  it('returns the first answer for a retried key and writes nothing new', () => {
    const opts = { actor: cage.operator, source: 'touch' as const, key: 'tap-123' };
    const first = cage.app.execute({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' }, opts, (events) => events.map((e) => e.seq));
    const head = cage.app.store.head().seq;
    const again = cage.app.execute({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' }, opts, (events) => events.map((e) => e.seq));
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.replayed).toBe(true);
    expect(again.response).toEqual(first.response);
    expect(cage.app.store.head().seq).toBe(head);
    const other = cage.app.execute({ type: 'Issue', tags: ['LT-002'], holder: 'EMP-1' }, opts, () => null);
    expect(other.ok || other.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(verifyChain(cage.app.store).ok).toBe(true);
  });
});
