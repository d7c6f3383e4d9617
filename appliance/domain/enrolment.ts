// The one-time admin enrolment code of a new box (image/README.md): while no operator is enrolled and the
// box has a code, the first admin is enrolled only with it. Pure: the appliance reads the code's file and
// derives the wrong-code lock from the log, and hands both to decide() in its context (ctx.enrolment).
import { timingSafeEqual } from 'node:crypto';
import { DomainError, refuse } from './errors.ts';
import type { EnrolmentGate } from './types.ts';

/** The subject of EnrolmentCodeFailed events: the lock counts them. */
export const ENROLMENT_SUBJECT = 'enrolment';

/** Case, spaces and dashes do not count: "abcd-efgh", "ABCDEFGH" and "ABCD EFGH" are one code. */
export function normalizeEnrolmentCode(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase();
}

/** Compared in constant time (the length of a code is no secret: 8 characters). */
export function enrolmentCodeMatches(expected: string, given: string): boolean {
  const a = Buffer.from(normalizeEnrolmentCode(expected), 'utf8');
  const b = Buffer.from(normalizeEnrolmentCode(given), 'utf8');
  return a.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}

export function enrolmentLocked(until: string, now: string): DomainError {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - Date.parse(now)) / 60_000));
  return new DomainError('ENROLMENT_LOCKED', `Too many wrong enrolment codes: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
    locked_until: until,
  });
}

/** Refuses the first admin's enrolment unless it carries the box's code (and the box is not locked). */
export function checkEnrolmentCode(gate: EnrolmentGate, given: string | undefined, now: string): void {
  if (gate.lockedUntil !== null && Date.parse(gate.lockedUntil) > Date.parse(now)) throw enrolmentLocked(gate.lockedUntil, now);
  if (!given?.trim()) refuse('ENROLMENT_CODE_REQUIRED', 'Enter the enrolment code shown on the screen at first start.');
  if (!enrolmentCodeMatches(gate.code, given)) {
    const left = Math.max(0, gate.triesLeft - 1);
    refuse('ENROLMENT_CODE_WRONG', `That is not the enrolment code shown at first start. ${left} ${left === 1 ? 'try' : 'tries'} left before a five-minute wait.`, {
      tries_left: left,
    });
  }
}
