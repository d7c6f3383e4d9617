// The overdue reminder over a real store and the cage's clock: nothing plays while an asset is only due
// today; once it is a day overdue the 'attention' pattern plays, then at most once an hour.
import { afterEach, describe, expect, it } from 'vitest';
import { AttentionReminder, anyOverdue } from '../../../appliance/intake/attention.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
afterEach(() => cage.close());

const HOUR = 3_600_000;

describe('attention reminder over the cage', () => {
  it('plays when the idle screen would show something overdue, at most once an hour', () => {
    cage = openCage();
    cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', due: '2026-03-16' });
    const played: string[] = [];
    const reminder = new AttentionReminder({
      overdue: () => anyOverdue(cage.app, 14), play: () => played.push(cage.app.nowIso()), now: () => cage.app.now().getTime(), checkMs: 0,
    });
    expect(reminder.check()).toBe(false); // 15 March: due tomorrow
    cage.clock.advance(24 * HOUR);
    expect(anyOverdue(cage.app, 14)).toBe(false); // due today is not overdue
    expect(reminder.check()).toBe(false);
    cage.clock.advance(24 * HOUR);
    expect(anyOverdue(cage.app, 14)).toBe(true);
    expect(reminder.check()).toBe(true);
    cage.clock.advance(HOUR - 1);
    expect(reminder.check()).toBe(false);
    cage.clock.advance(1);
    expect(reminder.check()).toBe(true);
    cage.ok({ type: 'Return', tags: ['LT-001'] });
    cage.clock.advance(2 * HOUR);
    expect(reminder.check()).toBe(false);
    expect(played).toEqual(['2026-03-17T09:00:00.000Z', '2026-03-17T10:00:00.000Z']);
  });
});
