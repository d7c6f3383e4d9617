// Five wrong PINs lock an operator for five minutes. The lock is derived from the log itself (the
// OperatorSignInFailed events since the operator last signed in), so restarting the kiosk unlocks no one.

export const LOCKOUT = { attempts: 5, minutes: 5 } as const;

export interface LockState {
  /** When the lock ends; null when not locked. */
  until: Date | null;
  /** Wrong PINs still allowed before the lock (0 while locked). */
  triesLeft: number;
}

/** `failures`: times of the wrong-PIN events since the operator's last sign-in, oldest first. */
export function lockState(failures: readonly string[], now: Date, rule: { attempts: number; minutes: number } = LOCKOUT): LockState {
  let count = 0;
  let until: number | null = null;
  for (const at of failures) {
    const t = Date.parse(at);
    if (until !== null) {
      if (t < until) continue; // tries during a lock are refused unchecked and do not extend it
      count = 0; // the lock ran out: a fresh set of tries
      until = null;
    }
    count += 1;
    if (count >= rule.attempts) until = t + rule.minutes * 60_000;
  }
  if (until !== null && until > now.getTime()) return { until: new Date(until), triesLeft: 0 };
  return { until: null, triesLeft: until !== null ? rule.attempts : rule.attempts - count };
}
