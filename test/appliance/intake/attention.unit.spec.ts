// The overdue reminder on a fake clock: the 'attention' pattern plays once while something is overdue, not
// again within the hour, again once the hour has passed, and never while nothing is overdue.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ATTENTION_CHECK_MS, AttentionReminder } from '../../../appliance/intake/attention.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function reminder(overdue: { now: boolean }) {
  const clock = { t: Date.parse('2026-03-15T09:00:00Z') };
  const played: number[] = [];
  const r = new AttentionReminder({ overdue: () => overdue.now, play: () => played.push(clock.t), now: () => clock.t, checkMs: 0 });
  return { r, clock, played };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('attention reminder', () => {
  it('plays once while something is overdue, not again within the hour, and again after it', () => {
    const { r, clock, played } = reminder({ now: true });
    expect(r.check()).toBe(true);
    expect(played).toHaveLength(1);
    for (const minutes of [1, 10, 30, 59]) {
      clock.t = Date.parse('2026-03-15T09:00:00Z') + minutes * MINUTE;
      expect(r.check(), `${minutes} min later`).toBe(false);
    }
    clock.t = Date.parse('2026-03-15T09:00:00Z') + HOUR;
    expect(r.check()).toBe(true);
    clock.t += 30 * MINUTE;
    expect(r.check()).toBe(false);
    clock.t += 30 * MINUTE;
    expect(r.check()).toBe(true);
    expect(played.map((t) => new Date(t).toISOString())).toEqual(['2026-03-15T09:00:00.000Z', '2026-03-15T10:00:00.000Z', '2026-03-15T11:00:00.000Z']);
  });

  it('stays quiet while nothing is overdue, and plays as soon as something is', () => {
    const overdue = { now: false };
    const { r, clock, played } = reminder(overdue);
    for (let i = 0; i < 5; i++) {
      expect(r.check()).toBe(false);
      clock.t += 2 * HOUR;
    }
    expect(played).toEqual([]);
    overdue.now = true;
    expect(r.check()).toBe(true);
    overdue.now = false;
    clock.t += 2 * HOUR;
    expect(r.check()).toBe(false);
    expect(played).toHaveLength(1);
  });

  it('an overdue check that throws (the store closing) plays nothing and does not throw from the timer', () => {
    const played: string[] = [];
    const r = new AttentionReminder({ overdue: () => { throw new Error('closed'); }, play: () => played.push('attention'), checkMs: 0 });
    expect(r.check()).toBe(false);
    expect(played).toEqual([]);
  });

  it('started, it looks every minute on its own timer until stopped', () => {
    vi.useFakeTimers();
    const start = Date.parse('2026-03-15T09:00:00Z');
    vi.setSystemTime(start);
    const played: number[] = [];
    const r = new AttentionReminder({ overdue: () => true, play: () => played.push(Date.now() - start) });
    r.start();
    expect(played).toEqual([0]);
    vi.advanceTimersByTime(59 * MINUTE);
    expect(played).toEqual([0]);
    vi.advanceTimersByTime(ATTENTION_CHECK_MS);
    expect(played).toEqual([0, HOUR]);
    r.stop();
    vi.advanceTimersByTime(3 * HOUR);
    expect(played).toEqual([0, HOUR]);
  });
});
