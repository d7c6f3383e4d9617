// The asset card offers exactly the actions the custody rules accept for the asset's state and the
// operator's role: checked here for every state the demo cage has, plus a retired asset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legalActions } from '../../../appliance/http/asset-actions.ts';
import { seedDemo } from '../../../appliance/seed-demo.ts';
import type { Actor } from '../../../appliance/domain/types.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
let operator: Actor;
let admin: Actor;
beforeAll(() => {
  cage = openCage({ seed: false });
  seedDemo(cage.app);
  operator = cage.app.operatorByBadge('OPR-1001');
  admin = cage.app.operatorByBadge('ADM-9001');
  cage.ok({ type: 'Retire', tag: 'LT-00039', reason: 'end of life' }, admin);
});
afterAll(() => cage.close());

const actions = (tag: string, actor: Actor) => legalActions(cage.app, actor, cage.app.state().assets.get(tag.replace('-', ''))!);

describe('legal actions on the asset card', () => {
  it.each([
    ['LT-00005', 'in storage', ['issue', 'move', 'missing', 'condition'], ['retire']],
    ['LT-00001', 'issued', ['return', 'missing', 'condition'], []],
    ['LT-00035', 'missing, in storage', ['move', 'found', 'condition'], ['retire']],
    ['LT-00040', 'in repair, in storage', ['move', 'missing', 'condition'], ['retire']],
    ['LT-00039', 'retired', [], []],
  ])('%s (%s)', (tag, _state, forOperator, adminAlso) => {
    expect(actions(tag, operator)).toEqual(forOperator);
    expect(actions(tag, admin)).toEqual([...forOperator, ...adminAlso]);
  });
});
