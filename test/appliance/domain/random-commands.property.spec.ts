// Property: whatever sequence of valid and invalid commands arrives, the chain verifies, a replay gives
// the same projections as the incremental path, and no custody invariant is ever broken.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor, AppliedEvent, CageState, Command } from '../../../appliance/domain/types.ts';
import { keyOfSlotText } from '../../../appliance/domain/state.ts';
import { verifyChain } from '../../../appliance/store/verify-chain.ts';
import { openCage } from '../../support/cage.ts';

const TAGS = ['LT-001', 'lt 002', 'LT-003', '0042', 'LT-LOOSE', 'NEW-1', 'new-2', 'GHOST'];
const HOLDERS = ['EMP-1', 'EMP-2', 'TEAM-1', 'H-0001', 'NOBODY'];
const SLOTS = ['CASE-1/1', 'CASE-1/2', 'CASE-1/3', 'CASE-1/4', 'case 2/1', 'CASE-2/2', 'CASE-2/3', 'CASE-2/9', 'CASE-7/1'];

const tag = fc.constantFrom(...TAGS);
const tags = fc.uniqueArray(tag, { minLength: 1, maxLength: 2 });
const slot = fc.constantFrom(...SLOTS);
const who = fc.constantFrom<'operator' | 'admin' | 'console'>('operator', 'admin', 'console');

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant('Issue' as const), tags, holder: fc.constantFrom(...HOLDERS) }), weight: 5 },
  { arbitrary: fc.record({ type: fc.constant('Return' as const), tags, slot: fc.option(slot, { nil: undefined, freq: 2 }) }), weight: 5 },
  fc.record({ type: fc.constant('Move' as const), tag, slot }),
  fc.record({ type: fc.constant('RegisterAsset' as const), tag, serial: fc.constantFrom('S-1', 'S-2', 'SN-001', 'S-3'), slot: fc.option(slot, { nil: undefined }) }),
  fc.record({ type: fc.constant('MarkMissing' as const), tag }),
  fc.record({ type: fc.constant('Found' as const), tag }),
  fc.record({ type: fc.constant('ChangeCondition' as const), tag, condition: fc.constantFrom('degraded', 'in_repair', 'operational', 'bogus') }),
  fc.record({ type: fc.constant('Retire' as const), tag, reason: fc.constantFrom('', 'end of life') }),
  fc.record({ type: fc.constant('Sweep' as const), case: fc.constantFrom('CASE-1', 'CASE-2', 'CASE-9'), seen: fc.uniqueArray(tag, { maxLength: 4 }) }),
  fc.record({ type: fc.constant('DeactivateHolder' as const), holder: fc.constantFrom(...HOLDERS) }),
  fc.record({ type: fc.constant('ReactivateHolder' as const), holder: fc.constantFrom(...HOLDERS) }),
  fc.record({ type: fc.constant('RecordScan' as const), text: fc.oneof(tag, fc.string({ maxLength: 6 })), rawHex: fc.constant(''), source: fc.constant('wedge' as const), device: fc.constant('w1') }),
  // Pseudo-commands resolved against the live state, so that sequences reach deep states often.
  fc.record({ type: fc.constant('CorrectLatest' as const), tag }) as unknown as fc.Arbitrary<Command>,
  { arbitrary: fc.record({ type: fc.constant('ReturnSomeIssued' as const), pick: fc.nat(), slot: fc.option(slot, { nil: undefined }) }) as unknown as fc.Arbitrary<Command>, weight: 4 },
);

/** Turns a pseudo-command into a real one, or null when the state offers nothing to pick. */
function resolve(cmd: Command, state: CageState, eventAt: (seq: number) => AppliedEvent | undefined): Command | null {
  const pseudo = cmd as unknown as { type: string; tag: string; pick: number; slot?: string };
  if (pseudo.type === 'CorrectLatest') {
    const a = state.assets.get(pseudo.tag.replace(/[\s-]/g, '').toUpperCase());
    return a ? { type: 'Correct', target: eventAt(a.lastChangeSeq)!, reason: 'property test' } : null;
  }
  if (pseudo.type === 'ReturnSomeIssued') {
    const issued = [...state.assets.values()].filter((a) => a.state === 'issued');
    if (issued.length === 0) return null;
    return { type: 'Return', tags: [issued[pseudo.pick % issued.length]!.tag], slot: pseudo.slot };
  }
  return cmd;
}

function checkInvariants(state: CageState): void {
  const slotsSeen = new Map<string, string>();
  for (const a of state.assets.values()) {
    if (a.state === 'issued') {
      expect(a.holderId, `${a.tag} issued has a holder`).not.toBeNull();
      expect(a.slot, `${a.tag} issued has no slot`).toBeNull();
      expect(state.holders.has(a.holderId!)).toBe(true);
    } else {
      expect(a.holderId, `${a.tag} not issued has no holder`).toBeNull();
    }
    if (a.state === 'retired') expect(a.slot).toBeNull();
    if (a.slot) {
      const key = keyOfSlotText(a.slot);
      expect(slotsSeen.has(key), `one asset per slot: ${a.slot}`).toBe(false);
      slotsSeen.set(key, a.key);
      expect(state.slots.get(key), `occupancy agrees for ${a.slot}`).toBe(a.key);
    }
  }
  expect(state.slots.size).toBe(slotsSeen.size);
}

describe('random command sequences', () => {
  it('never break the chain, the replay or an invariant', () => {
    const acceptedByType = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.tuple(command, who), { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        const cage = openCage();
        try {
          const actors: Record<string, Actor> = { operator: cage.operator, admin: cage.admin, console: { kind: 'console' } };
          for (const [cmd, as] of steps) {
            const real = resolve(cmd, cage.app.state(), (seq) => cage.app.store.event(seq));
            if (!real) continue;
            const before = cage.app.store.head().seq;
            const outcome = cage.run(real, actors[as]);
            if (outcome.ok) acceptedByType.set(real.type, (acceptedByType.get(real.type) ?? 0) + 1);
            else expect(cage.app.store.head().seq, `refused ${real.type} wrote nothing`).toBe(before);
            checkInvariants(cage.app.state());
          }
          expect(verifyChain(cage.app.store).ok).toBe(true);
          expect(cage.app.store.diffProjections(cage.app.store.replay())).toEqual([]);
          // the state a fresh process loads equals the live one
          const reloaded = cage.app.store.loadState();
          expect(cage.app.store.diffProjections(reloaded)).toEqual([]);
        } finally {
          cage.close();
        }
      }),
      { numRuns: 40 },
    );
    // the generator must really reach the interesting paths, not only refusals
    for (const type of ['Issue', 'Return', 'Move', 'Retire', 'Sweep', 'Correct', 'RecordScan']) {
      expect(acceptedByType.get(type) ?? 0, `${type} accepted at least once`).toBeGreaterThan(0);
    }
  }, 120_000);
});
