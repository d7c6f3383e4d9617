// The questions the appliance must always answer, from current state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { casesQuery, dashboardCounts, holdingsQuery, missingQuery, overdueQuery } from '../../../appliance/queries.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
beforeEach(() => {
  cage = openCage();
  cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' });
  cage.clock.advance(3 * 86_400_000);
  cage.ok({ type: 'Issue', tags: ['LT-002', '0042'], holder: 'TEAM-1' });
  cage.ok({ type: 'MarkMissing', tag: 'LT-003' });
  cage.clock.advance(12 * 86_400_000);
});
afterEach(() => cage.close());

describe('read models', () => {
  it('lists who holds what, with since and days out', () => {
    const { holders } = holdingsQuery(cage.app.state(), cage.app.now());
    expect(holders.map((h) => [h.name, h.assets.map((a) => `${a.tag}:${a.days_out}`)])).toEqual([
      ['Bob Baker', ['LT-001:15']],
      ['Flood Crew', ['0042:12', 'LT-002:12']],
    ]);
    expect(holdingsQuery(cage.app.state(), cage.app.now(), 'EMP-2').holders).toEqual([expect.objectContaining({ name: 'Chloe Chen', assets: [] })]);
  });

  it('finds assets past their return date (14 days after issue by default), longest overdue first, and those due today', () => {
    let q = overdueQuery(cage.app.state(), cage.app.now(), 14);
    expect(q.assets.map((a) => [a.tag, a.due, a.overdue_days])).toEqual([['LT-001', '2026-03-29', 1]]);
    expect(q.due_today).toEqual([]);
    cage.clock.advance(2 * 86_400_000); // 1 April: the team's two are due today
    q = overdueQuery(cage.app.state(), cage.app.now(), 14);
    expect(q.due_today.map((a) => a.tag)).toEqual(['0042', 'LT-002']);
    cage.clock.advance(2 * 86_400_000);
    q = overdueQuery(cage.app.state(), cage.app.now(), 14);
    expect(q.assets.map((a) => [a.tag, a.overdue_days])).toEqual([['LT-001', 5], ['0042', 2], ['LT-002', 2]]);
    expect(q.by_holder).toEqual([{ id: 'H-0003', name: 'Flood Crew', overdue: 2, due_today: 0 }, { id: 'H-0001', name: 'Bob Baker', overdue: 1, due_today: 0 }]);
  });

  it('lists missing assets, case occupancy and dashboard counts', () => {
    expect(missingQuery(cage.app.state()).assets.map((a) => a.tag)).toEqual(['LT-003']);
    const case1 = casesQuery(cage.app.state()).cases[0]!;
    expect(case1).toMatchObject({ label: 'CASE-1', slots: 4, occupied: 1, issued_from_here: 2 });
    expect(case1.grid.map((s) => s.tag)).toEqual([null, null, 'LT-003', null]);
    expect(dashboardCounts(cage.app.state(), cage.app.now(), 14)).toEqual({
      in_storage: 2, issued: 3, retired: 0, missing: 1, overdue: 1, due_today: 0, holders_active: 3, cases: 2, slots_free: 6,
    });
  });
});
