// A realistic sample cage recorded as ordinary events: 3 cases of 18 slots, 40 laptops, 12 holders,
// two operators and an admin (badges and PINs are listed in the README), some laptops already out.
import type { Appliance } from './appliance.ts';
import { DomainError } from './domain/errors.ts';
import type { Actor, Command } from './domain/types.ts';

export const DEMO_OPERATORS = [
  { name: 'Ada Admin', badge: 'ADM-9001', pin: '9001', role: 'admin' as const },
  { name: 'Oscar Operator', badge: 'OPR-1001', pin: '1001', role: 'operator' as const },
  { name: 'Olga Operator', badge: 'OPR-1002', pin: '1002', role: 'operator' as const },
];

const PEOPLE = [
  ['Bob Baker', 'EMP-0101', 'Field Survey'], ['Chloe Chen', 'EMP-0102', 'Field Survey'], ['Dev Patel', 'EMP-0103', 'Operations'],
  ['Eva Novak', 'EMP-0104', 'Operations'], ['Farid Haddad', 'EMP-0105', 'Engineering'], ['Grace Obi', 'EMP-0106', 'Engineering'],
  ['Hugo Lind', 'EMP-0107', 'Audit'], ['Ines Costa', 'EMP-0108', 'Logistics'], ['Jon Berg', 'EMP-0109', 'Logistics'],
  ['Kira Sato', 'EMP-0110', 'Security'],
] as const;
const TEAMS = [['Red Team Exercise', 'TEAM-RED', 'Security'], ['Flood Response Crew', 'TEAM-FLOOD', 'Operations']] as const;
const MODELS = [['Dell', 'Latitude 5450'], ['Lenovo', 'ThinkPad T14 Gen 5'], ['HP', 'EliteBook 840 G11'], ['Panasonic', 'Toughbook 40']] as const;

export function isEmptyCage(app: Appliance): boolean {
  const s = app.state();
  return s.assets.size === 0 && s.holders.size === 0 && s.operators.size === 0 && s.cases.size === 0;
}

export function seedDemo(app: Appliance): number {
  if (!isEmptyCage(app)) throw new DomainError('STORE_NOT_EMPTY', 'The demo cage loads only into an empty store; this one already has data.');
  // Its admin has a published PIN: on a box whose first admin needs the enrolment code, that would bypass it.
  if (app.enrolmentCodeRequired()) {
    throw new DomainError('ENROLMENT_CODE_REQUIRED', 'This box enrols its first admin with the enrolment code shown at first start; the demo cage is not loaded here.');
  }
  let count = 0;
  const run = (cmd: Command, actor: Actor = { kind: 'console' }) => {
    const outcome = app.execute(cmd, { actor, source: 'system' }, () => null);
    if (!outcome.ok) throw outcome.error;
    count += outcome.events.length;
  };
  for (const op of DEMO_OPERATORS) {
    const outcome = app.registerOperator(op, { actor: { kind: 'console' }, source: 'system' });
    if (!outcome.ok) throw outcome.error;
    count += outcome.events.length;
  }
  for (const label of ['CASE-11', 'CASE-12', 'CASE-13']) run({ type: 'RegisterCase', label, slots: 18 });
  for (const [name, badge, org] of PEOPLE) run({ type: 'RegisterHolder', name, badge, org, kind: 'person' });
  for (const [name, badge, org] of TEAMS) run({ type: 'RegisterHolder', name, badge, org, kind: 'team' });
  const rows = Array.from({ length: 40 }, (_, i) => {
    const [make, model] = MODELS[i % MODELS.length]!;
    const caseNo = 11 + Math.floor(i / 14);
    return {
      row: i + 2, tag: `LT-${String(i + 1).padStart(5, '0')}`, serial: `${make.slice(0, 2).toUpperCase()}${String(730_000 + i * 37)}`,
      assetType: 'laptop', make, model, notes: '', slot: `CASE-${caseNo}/${(i % 14) + 1}`,
    };
  });
  run({ type: 'ImportAssets', rows });
  const oscar = app.operatorByBadge('OPR-1001');
  run({ type: 'Issue', tags: ['LT-00001', 'LT-00002'], holder: 'EMP-0101' }, oscar);
  run({ type: 'Issue', tags: ['LT-00003'], holder: 'EMP-0103' }, oscar);
  run({ type: 'Issue', tags: ['LT-00015', 'LT-00016', 'LT-00017', 'LT-00018'], holder: 'TEAM-FLOOD', reason: 'flood deployment' }, oscar);
  run({ type: 'Issue', tags: ['LT-00029'], holder: 'EMP-0106' }, oscar);
  run({ type: 'ChangeCondition', tag: 'LT-00040', condition: 'in_repair', note: 'cracked hinge' }, oscar);
  run({ type: 'MarkMissing', tag: 'LT-00035', reason: 'not seen at last count' }, oscar);
  return count;
}
