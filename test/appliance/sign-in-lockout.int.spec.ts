// Five wrong PINs lock an operator for five minutes, derived from the log: a restart keeps the lock.
import { describe, expect, it } from 'vitest';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import { lockState } from '../../appliance/sign-in-lockout.ts';
import { openCage } from '../support/cage.ts';

describe('PIN lockout', () => {
  it('locks after five wrong PINs, keeps the lock across a restart, and lifts it after five minutes', () => {
    const cage = openCage();
    try {
      for (let i = 1; i <= 4; i++) {
        const r = cage.app.signIn('OPR-1', '0000', 'touch');
        expect(r.ok ? 'ok' : r.error.code).toBe('SIGN_IN_FAILED');
        expect(cage.app.lockOf(cage.app.state().operators.get('O-0002')!).triesLeft).toBe(5 - i);
      }
      const fifth = cage.app.signIn('OPR-1', '0000', 'touch');
      expect(fifth.ok ? 'ok' : fifth.error.message).toBe('Too many wrong PINs: Oscar Operator can try again in 5 minutes.');
      const right = cage.app.signIn('OPR-1', '1234', 'touch');
      expect(right.ok ? 'ok' : right.error.code).toBe('OPERATOR_LOCKED');
      expect(cage.app.signInWithBadge('OPR-1', 'wedge').ok).toBe(false);
      // Another operator is not affected.
      expect(cage.app.signIn('ADM-1', '1234', 'touch').ok).toBe(true);

      // Restart: a new process reads the same log.
      const reopened = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: cage.dir }), cage.clock.now);
      try {
        expect(reopened.signIn('OPR-1', '1234', 'touch').ok).toBe(false);
        cage.clock.advance(5 * 60_000);
        expect(reopened.signIn('OPR-1', '1234', 'touch').ok).toBe(true);
      } finally {
        reopened.close();
      }
      const failures = [...cage.app.store.readEvents()].filter((e) => e.type === 'OperatorSignInFailed').map((e) => e.data.reason);
      expect(failures).toEqual(['wrong PIN', 'wrong PIN', 'wrong PIN', 'wrong PIN', 'wrong PIN', 'locked', 'locked', 'locked']);
    } finally {
      cage.close();
    }
  });

  it('counts only wrong PINs since the last sign-in, and gives a fresh set after a lock runs out', () => {
    const t = (min: number) => new Date(Date.UTC(2026, 2, 15, 9, min)).toISOString();
    const now = (min: number) => new Date(Date.UTC(2026, 2, 15, 9, min));
    expect(lockState([t(0), t(1), t(2), t(3)], now(4))).toEqual({ until: null, triesLeft: 1 });
    expect(lockState([t(0), t(1), t(2), t(3), t(4)], now(5)).until?.toISOString()).toBe(t(9));
    expect(lockState([t(0), t(1), t(2), t(3), t(4)], now(9))).toEqual({ until: null, triesLeft: 5 });
    expect(lockState([t(0), t(1), t(2), t(3), t(4), t(10)], now(11))).toEqual({ until: null, triesLeft: 4 });
  });
});
