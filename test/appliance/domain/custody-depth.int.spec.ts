// Issue 9's rules through the one write path, each with the sentence a person sees: due dates and overdue,
// hand receipts (signature, badge acknowledgement, checkpoint), returns by someone else, the terms text,
// sweeps that are started, resumed and held by one operator, the sweep schedule, and the two-person rule.
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointText } from '../../../appliance/appliance.ts';
import { contentHash } from '../../../appliance/domain/receipts.ts';
import type { Actor, Command, JsonObject, SignatureInput } from '../../../appliance/domain/types.ts';
import { overdueQuery, sweepScheduleQuery } from '../../../appliance/queries.ts';
import { verifyChain } from '../../../appliance/store/verify-chain.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
afterEach(() => cage.close());

const DAY = 86_400_000;
const SIGNATURE: SignatureInput = { width: 600, height: 200, strokes: [[[10, 150], [40, 120], [80, 160], [120, 90]], [[200, 100], [260, 110]]] };

function refused(cmd: Command, actor: Actor = cage.operator, second?: { badge: string; pin: string }) {
  const before = cage.app.store.head().seq;
  const outcome = cage.app.execute(cmd, { actor, source: 'touch', second }, () => null);
  if (outcome.ok) throw new Error(`${cmd.type} was accepted`);
  // a refusal writes nothing (a wrong second PIN records only the failed sign-in, checked separately)
  if (outcome.error.code !== 'SECOND_ADMIN_FAILED') expect(cage.app.store.head().seq).toBe(before);
  return outcome.error;
}
function run(cmd: Command, actor: Actor = cage.operator, second?: { badge: string; pin: string }) {
  const outcome = cage.app.execute(cmd, { actor, source: 'touch', second }, (events) => events);
  if (!outcome.ok) throw new Error(`${cmd.type} refused: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.response;
}
const asset = (tag: string) => cage.app.state().assets.get(tag.replace(/[\s-]/g, '').toUpperCase())!;

describe('due dates', () => {
  it('gives each asset the configured days for its type, takes an explicit date or "none", and refuses the past', () => {
    cage = openCage({ env: { ASSETTRACK_DUE_DAYS: 'laptop=14,radio=none,*=7' } });
    cage.ok({ type: 'RegisterAsset', tag: 'RAD-1', serial: 'R1', assetType: 'radio' }, cage.admin);
    cage.ok({ type: 'RegisterAsset', tag: 'CAM-1', serial: 'C1', assetType: 'camera' }, cage.admin);
    const events = run({ type: 'Issue', tags: ['LT-001', 'RAD-1', 'CAM-1'], holder: 'EMP-1' });
    expect(events.map((e) => e.data.due)).toEqual(['2026-03-29', 'open', '2026-03-22']);
    expect(asset('LT-001').due).toBe('2026-03-29');
    run({ type: 'Issue', tags: ['LT-002'], holder: 'EMP-1', due: '2026-04-01' });
    expect(asset('LT-002').due).toBe('2026-04-01');
    run({ type: 'Issue', tags: ['LT-003'], holder: 'EMP-1', due: 'none' });
    expect(asset('LT-003').due).toBe('open');
    expect(refused({ type: 'Issue', tags: ['0042'], holder: 'EMP-1', due: '2026-03-14' }).message).toBe('The return date 2026-03-14 is in the past; today is 2026-03-15.');
    expect(refused({ type: 'Issue', tags: ['0042'], holder: 'EMP-1', due: '2026-02-30' }).code).toBe('BAD_DUE_DATE');
    run({ type: 'Return', tags: ['LT-001'] });
    expect(asset('LT-001').due).toBeNull();
  });

  it('extends a return date as an event (who, old, new, reason), and reports due today, overdue and by holder', () => {
    cage = openCage();
    run({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', due: '2026-03-16' });
    run({ type: 'Issue', tags: ['LT-002'], holder: 'EMP-2', due: '2026-03-20' });
    expect(refused({ type: 'ExtendDue', tag: 'LT-002', due: '2026-03-25', reason: '' }).code).toBe('REASON_REQUIRED');
    const [changed] = run({ type: 'ExtendDue', tag: 'LT-002', due: '2026-03-25', reason: 'field trip extended' });
    expect(changed).toMatchObject({ type: 'DueDateChanged', subject: 'LT-002', actor: 'O-0002', data: { from: '2026-03-20', to: '2026-03-25', reason: 'field trip extended' } });
    expect(refused({ type: 'ExtendDue', tag: 'LT-003', due: '2026-03-25', reason: 'x' }).code).toBe('NOT_ISSUED');
    cage.clock.advance(DAY); // 16 March: LT-001 due today
    let q = overdueQuery(cage.app.state(), cage.app.now(), 14);
    expect(q.due_today.map((a) => a.tag)).toEqual(['LT-001']);
    expect(q.assets).toEqual([]);
    cage.clock.advance(3 * DAY); // 19 March: LT-001 three days overdue
    q = overdueQuery(cage.app.state(), cage.app.now(), 14);
    expect(q.assets.map((a) => [a.tag, a.overdue_days, a.holder?.name])).toEqual([['LT-001', 3, 'Bob Baker']]);
    expect(q.by_holder).toEqual([{ id: 'H-0001', name: 'Bob Baker', overdue: 1, due_today: 0 }]);
    expect(cage.app.store.diffProjections(cage.app.store.replay())).toEqual([]);
  });
});

describe('hand receipts', () => {
  it('refuses a kiosk issue without the holder\'s signature or badge when receipts are required', () => {
    cage = openCage({ env: { ASSETTRACK_RECEIPTS: 'required' } });
    const e = refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', requireReceipt: true });
    expect(e).toMatchObject({ code: 'RECEIPT_REQUIRED', message: 'The holder signs on the screen, or scans their own badge, before Confirm.' });
    // a tap is no signature
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', requireReceipt: true, receipt: { signature: { width: 600, height: 200, strokes: [[[5, 5]]] } } }).code).toBe('RECEIPT_REQUIRED');
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', receipt: { signature: { width: 600, height: 200, strokes: [[[5, 5], [700, 5]]] } } }).code).toBe('BAD_SIGNATURE');
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', requireReceipt: true, receipt: { badge: 'EMP-2' } }).message)
      .toBe('That badge is not Bob Baker\'s: the holder scans their own badge, or signs on the screen.');
  });

  it('records the signed receipt first: holder as they were, assets, operator, terms, strokes, and a signed checkpoint of the head before it', () => {
    cage = openCage();
    run({ type: 'SetTerms', text: 'I will keep the equipment safe and bring it back.' }, cage.admin);
    const head = cage.app.store.head();
    const events = run({ type: 'Issue', tags: ['LT-001', 'LT-002'], holder: 'EMP-1', requireReceipt: true, receipt: { signature: SIGNATURE } });
    expect(events.map((e) => e.type)).toEqual(['HandReceiptSigned', 'AssetIssued', 'AssetIssued']);
    const receipt = events[0]!;
    expect(receipt.seq).toBe(head.seq + 1);
    expect(events.slice(1).map((e) => e.data.receipt_seq)).toEqual([receipt.seq, receipt.seq]);
    const d = receipt.data as JsonObject;
    expect(d).toMatchObject({
      receipt: 'issue', holder: { id: 'H-0001', name: 'Bob Baker', org: 'Survey', badge: 'EMP-1' }, operator: { id: 'O-0002', name: 'Oscar Operator' },
      terms: { version: 1 }, acknowledgement: 'signature', signature: SIGNATURE, badge: null, checkpoint: { seq: head.seq, hash: head.hash },
    });
    expect((d.assets as JsonObject[]).map((a) => [a.tag, a.serial, a.due])).toEqual([['LT-001', 'SN-001', '2026-03-29'], ['LT-002', 'SN-002', '2026-03-29']]);
    const { content_sha256: stated, ...content } = d;
    expect(contentHash(content)).toBe(stated);
    const pem = readFileSync(join(cage.dir, 'device-public-key.pem'), 'utf8');
    const checkpoint = d.checkpoint as { seq: number; hash: string; signature: string };
    expect(verify(null, Buffer.from(checkpointText('TEST-BOX', checkpoint.seq, checkpoint.hash)), createPublicKey(pem), Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
    expect(verifyChain(cage.app.store)).toMatchObject({ ok: true });
  });

  it('takes the holder\'s own badge as acknowledgement where allowed, and not where the box forbids it', () => {
    cage = openCage();
    const events = run({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', requireReceipt: true, receipt: { badge: 'emp 1' } });
    expect(events[0]!.data).toMatchObject({ acknowledgement: 'badge', badge: 'emp 1', signature: null });
    cage.close();
    cage = openCage({ env: { ASSETTRACK_RECEIPT_BADGE: '0', ASSETTRACK_RECEIPTS: 'required' } });
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', requireReceipt: true, receipt: { badge: 'EMP-1' } }).message)
      .toBe('A badge scan does not acknowledge a receipt on this box: the holder signs on the screen.');
    expect(refused({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', requireReceipt: true }).message).toBe('The holder signs on the screen before Confirm.');
  });

  it('records who brought an asset back when it is not the holder, and lists it for the dashboard', () => {
    cage = openCage();
    run({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' });
    run({ type: 'Issue', tags: ['LT-002'], holder: 'EMP-1' });
    const back = run({ type: 'Return', tags: ['LT-001'], returnedBy: 'EMP-2', receipt: { signature: SIGNATURE }, requireReceipt: true });
    expect(back.map((e) => e.type)).toEqual(['HandReceiptSigned', 'AssetReturned']);
    expect(back[1]!.data).toMatchObject({ returned_by: { kind: 'holder', id: 'H-0002', name: 'Chloe Chen' }, returned_by_holder: false, receipt_seq: back[0]!.seq });
    expect(back[0]!.data).toMatchObject({ receipt: 'return', holder: { id: 'H-0001' }, returned_by: { name: 'Chloe Chen' } });
    const own = run({ type: 'Return', tags: ['LT-002'], returnedBy: 'EMP-1' });
    expect(own[0]!.data).toMatchObject({ returned_by_holder: true });
    expect(cage.app.state().returnsByOthers).toEqual([{ seq: back[1]!.seq, at: '2026-03-15T09:00:00.000Z', tag: 'LT-001', holder: 'Bob Baker', by: 'Chloe Chen' }]);
    run({ type: 'Issue', tags: ['LT-003'], holder: 'EMP-1' });
    expect(refused({ type: 'Return', tags: ['LT-003'], returnedBy: 'NOBODY-9' }).message).toBe('No holder or operator has badge "NOBODY-9"; scan the badge of the person bringing it back.');
    expect(cage.app.store.diffProjections(cage.app.store.replay())).toEqual([]);
  });

  it('versions the terms text: each change is an event with its number and hash', () => {
    cage = openCage();
    expect(refused({ type: 'SetTerms', text: 'x' }).code).toBe('ADMIN_REQUIRED');
    run({ type: 'SetTerms', text: 'Version one.' }, cage.admin);
    const [second] = run({ type: 'SetTerms', text: 'Version two.' }, cage.admin);
    expect(second).toMatchObject({ type: 'TermsChanged', data: { version: 2, text: 'Version two.', sha256: contentHash({ text: 'Version two.' }) } });
    expect(refused({ type: 'SetTerms', text: 'Version two.' }, cage.admin).code).toBe('NO_CHANGE');
    expect(cage.app.state().terms).toMatchObject({ version: 2 });
  });
});

describe('sweeps that last', () => {
  it('holds an open sweep for its operator: others are told who has it, the owner resumes, finishing names the scans', () => {
    cage = openCage();
    const started = run({ type: 'StartSweep', case: 'CASE-1' });
    expect(started).toMatchObject([{ type: 'SweepStarted', subject: 'CASE-1', data: { scope: 'CASE1', label: 'CASE-1' } }]);
    expect(run({ type: 'StartSweep', case: 'case 1' })).toEqual([]); // resumed: nothing new to record
    const e = refused({ type: 'StartSweep', case: 'CASE-1' }, cage.admin);
    expect(e.code).toBe('SWEEP_OPEN');
    expect(e.message).toBe('CASE-1 is being swept by Oscar Operator (started 09:00 UTC); wait until they finish, or ask them (or an admin) to abandon it.');
    expect(refused({ type: 'Sweep', case: 'CASE-1', seen: ['LT-001'] }, cage.admin).code).toBe('SWEEP_OPEN');
    expect(refused({ type: 'StartSweep', cage: true }, cage.admin).code).toBe('SWEEP_OPEN');
    const done = run({ type: 'Sweep', case: 'CASE-1', seen: ['LT-001', 'LT-002', 'LT-003'], scanSeqs: [41, 42] });
    expect(done.at(-1)).toMatchObject({ type: 'SweepCompleted', data: { started_seq: started[0]!.seq, scan_seqs: [41, 42] } });
    expect(cage.app.state().openSweeps.size).toBe(0);
    expect(cage.app.state().cases.get('CASE1')!.lastSweptAt).toBe('2026-03-15T09:00:00.000Z');
    run({ type: 'StartSweep', case: 'CASE-2' }, cage.admin);
    expect(refused({ type: 'AbandonSweep', case: 'CASE-2' }).message).toBe('Only Ada Admin or an admin can abandon this sweep.');
    run({ type: 'AbandonSweep', case: 'CASE-2', reason: 'called away' }, cage.admin);
    expect(cage.app.store.diffProjections(cage.app.store.replay())).toEqual([]);
  });

  it('proposes today\'s sweep: cases due first, then the oldest up to the day\'s share, and counts those behind', () => {
    cage = openCage({ env: { ASSETTRACK_SWEEP_INTERVAL_DAYS: '30' } });
    for (let i = 3; i <= 6; i++) cage.ok({ type: 'RegisterCase', label: `CASE-${i}`, slots: 2 }, cage.admin);
    let s = sweepScheduleQuery(cage.app.state(), cage.app.now(), 30);
    expect(s.behind).toBe(6); // never swept: every case is behind and due now
    expect(s.today).toEqual(['CASE-1', 'CASE-2', 'CASE-3', 'CASE-4', 'CASE-5', 'CASE-6']);
    for (const c of ['CASE-1', 'CASE-2', 'CASE-3', 'CASE-4', 'CASE-5']) run({ type: 'Sweep', case: c, seen: [] });
    cage.clock.advance(DAY);
    s = sweepScheduleQuery(cage.app.state(), cage.app.now(), 30);
    expect(s.behind).toBe(1); // CASE-6 was never swept
    expect(s.today).toEqual(['CASE-6']);
    expect(s.cases.find((c) => c.label === 'CASE-1')).toMatchObject({ next_due: '2026-04-14', due: false, days_behind: 0 });
  });
});

describe('the two-person rule', () => {
  it('is not in force with one admin, so the second admin can be enrolled; then retire needs a different admin\'s badge and PIN', () => {
    cage = openCage();
    const op = cage.app.registerOperator({ name: 'Bea Admin', badge: 'ADM-2', pin: '4321', role: 'admin' }, { actor: cage.admin, source: 'touch' });
    expect(op.ok).toBe(true);
    const e = refused({ type: 'Retire', tag: 'LT-LOOSE', reason: 'broken screen' }, cage.admin);
    expect(e).toMatchObject({ code: 'SECOND_ADMIN_REQUIRED', message: 'Retiring LT-LOOSE needs a second admin: another admin confirms with their badge and PIN.' });
    expect(refused({ type: 'Retire', tag: 'LT-LOOSE', reason: 'broken screen' }, cage.admin, { badge: 'ADM-1', pin: '1234' }).code).toBe('SECOND_ADMIN_SAME');
    const before = cage.app.store.head().seq;
    expect(refused({ type: 'Retire', tag: 'LT-LOOSE', reason: 'broken screen' }, cage.admin, { badge: 'ADM-2', pin: '0000' }).code).toBe('SECOND_ADMIN_FAILED');
    expect([...cage.app.store.readEvents(before + 1)].map((x) => [x.type, x.data.reason])).toEqual([['OperatorSignInFailed', 'wrong PIN']]);
    expect(refused({ type: 'Retire', tag: 'LT-LOOSE', reason: 'broken screen' }, cage.admin, { badge: 'OPR-1', pin: '1234' }).code).toBe('SECOND_ADMIN_FAILED');
    const [retired] = run({ type: 'Retire', tag: 'LT-LOOSE', reason: 'broken screen' }, cage.admin, { badge: 'ADM-2', pin: '4321' });
    expect(retired).toMatchObject({ type: 'AssetRetired', actor: 'O-0001', data: { second_operator: 'O-0003' } });
    // enrolling a third admin and changing the terms are under the rule too; an operator's change is not
    const third = cage.app.registerOperator({ name: 'Cy Admin', badge: 'ADM-3', pin: '5555', role: 'admin' }, { actor: cage.admin, source: 'touch' });
    expect(third.ok ? null : third.error.code).toBe('SECOND_ADMIN_REQUIRED');
    expect(refused({ type: 'SetTerms', text: 'New terms.' }, cage.admin).code).toBe('SECOND_ADMIN_REQUIRED');
    run({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' });
  });

  it('applies only to the actions configured', () => {
    cage = openCage({ env: { ASSETTRACK_TWO_PERSON: 'terms' } });
    cage.app.registerOperator({ name: 'Bea Admin', badge: 'ADM-2', pin: '4321', role: 'admin' }, { actor: cage.admin, source: 'touch' });
    run({ type: 'Retire', tag: 'LT-LOOSE', reason: 'broken screen' }, cage.admin);
    expect(refused({ type: 'SetTerms', text: 'New terms.' }, cage.admin).code).toBe('SECOND_ADMIN_REQUIRED');
  });
});
