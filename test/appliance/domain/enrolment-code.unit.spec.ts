// decide() and the one-time enrolment code: the first admin of a box that has one gives it; nobody else does.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../appliance/domain/decide.ts';
import { enrolmentCodeMatches, normalizeEnrolmentCode } from '../../../appliance/domain/enrolment.ts';
import { evolve } from '../../../appliance/domain/evolve.ts';
import { initialState } from '../../../appliance/domain/state.ts';
import type { Command, DecideContext, EnrolmentGate } from '../../../appliance/domain/types.ts';

const NOW = '2026-03-15T09:00:00.000Z';
const GATE: EnrolmentGate = { code: 'K7QM-R4TX', lockedUntil: null, triesLeft: 5 };
const ctx = (enrolment?: EnrolmentGate, actor: DecideContext['actor'] = { kind: 'system' }): DecideContext => ({
  now: NOW, actor, duplicateWindowMs: 750, maxScanLength: 128, scanPrefixes: {}, enrolment,
});
const enrol = (enrolmentCode?: string, role: 'admin' | 'operator' = 'admin'): Command => ({ type: 'RegisterOperator', name: 'Ada', badge: 'ADM-1', role, enrolmentCode });

function outcome(cmd: Command, c: DecideContext, state = initialState('BOX')) {
  const d = decide(cmd, state, c);
  return d.ok ? d.events.map((e) => e.type) : { code: d.error.code, message: d.error.message, ...d.error.details };
}

describe('the enrolment code in decide()', () => {
  it('enrols the first admin without a code when the box has none (as before)', () => {
    expect(outcome(enrol(), ctx())).toEqual(['OperatorRegistered']);
    expect(outcome(enrol('anything'), ctx())).toEqual(['OperatorRegistered']);
  });

  it('refuses the first admin without the code, or with a wrong one, and says how many tries are left', () => {
    expect(outcome(enrol(), ctx(GATE))).toEqual({ code: 'ENROLMENT_CODE_REQUIRED', message: 'Enter the enrolment code shown on the screen at first start.' });
    expect(outcome(enrol('  '), ctx(GATE))).toMatchObject({ code: 'ENROLMENT_CODE_REQUIRED' });
    expect(outcome(enrol('K7QM-R4TY'), ctx(GATE))).toEqual({
      code: 'ENROLMENT_CODE_WRONG', message: 'That is not the enrolment code shown at first start. 4 tries left before a five-minute wait.', tries_left: 4,
    });
    expect(outcome(enrol('K7QM'), ctx({ ...GATE, triesLeft: 2 }))).toMatchObject({ code: 'ENROLMENT_CODE_WRONG', message: expect.stringContaining('1 try left'), tries_left: 1 });
    // The code is checked before anything else about the new admin.
    expect(outcome(enrol('WRONG', 'operator'), ctx(GATE))).toMatchObject({ code: 'ENROLMENT_CODE_WRONG' });
  });

  it('takes the code in any case, with or without its dash, and still checks the rest', () => {
    for (const code of ['K7QM-R4TX', 'k7qm-r4tx', 'K7QMR4TX', ' k7qm r4tx ']) expect(outcome(enrol(code), ctx(GATE))).toEqual(['OperatorRegistered']);
    expect(outcome(enrol('k7qm-r4tx', 'operator'), ctx(GATE))).toMatchObject({ code: 'FIRST_MUST_BE_ADMIN' });
  });

  it('refuses even the right code while the lock lasts, with the minutes left', () => {
    const locked = { ...GATE, lockedUntil: '2026-03-15T09:04:10.000Z', triesLeft: 0 };
    expect(outcome(enrol('K7QM-R4TX'), ctx(locked))).toEqual({
      code: 'ENROLMENT_LOCKED', message: 'Too many wrong enrolment codes: try again in 5 minutes.', locked_until: '2026-03-15T09:04:10.000Z',
    });
    expect(outcome(enrol('K7QM-R4TX'), ctx({ ...locked, lockedUntil: '2026-03-15T08:59:00.000Z', triesLeft: 5 }))).toEqual(['OperatorRegistered']);
  });

  it('asks no code once an operator exists', () => {
    const state = initialState('BOX');
    evolve(state, {
      seq: 1, type: 'OperatorRegistered', subject: 'O-0001', occurred_at: NOW, actor: 'system',
      data: { id: 'O-0001', name: 'Ada', badge: 'ADM-1', role: 'admin' },
    });
    const second: Command = { type: 'RegisterOperator', name: 'Oscar', badge: 'OPR-1', role: 'operator' };
    expect(outcome(second, ctx(GATE, { kind: 'operator', id: 'O-0001', role: 'admin' }), state)).toEqual(['OperatorRegistered']);
    expect(outcome(second, ctx(GATE), state)).toMatchObject({ code: 'OPERATOR_REQUIRED' });
  });

  it('records a wrong code as an event without the code', () => {
    expect(decide({ type: 'EnrolmentCodeFailed', reason: 'wrong code' }, initialState('BOX'), ctx(GATE))).toEqual({
      ok: true, events: [{ type: 'EnrolmentCodeFailed', subject: 'enrolment', data: { reason: 'wrong code' } }],
    });
  });

  it('normalizes and compares codes', () => {
    expect(normalizeEnrolmentCode(' abcd-efgh\n')).toBe('ABCDEFGH');
    expect(enrolmentCodeMatches('ABCD-EFGH', 'abcdefgh')).toBe(true);
    expect(enrolmentCodeMatches('ABCD-EFGH', 'ABCD-EFG')).toBe(false);
    expect(enrolmentCodeMatches('ABCD-EFGH', 'ABCD-EFGHJ')).toBe(false);
    expect(enrolmentCodeMatches('-', '')).toBe(false); // an empty code never matches
  });
});
