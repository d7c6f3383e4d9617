// Child process for the crash test: records commands as fast as it can and prints "ack SEQ" only after
// each one committed. The parent kills it with SIGKILL at a random moment.
import { Appliance } from '../../../appliance/appliance.ts';
import { loadConfig } from '../../../appliance/config.ts';

const dir = process.argv[2]!;
const app = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: dir }));
const operator = app.operatorByBadge('OPR-1');
for (let i = 0; ; i++) {
  // Alternate custody changes (several projections per command) with scans (one event each).
  const issued = app.state().assets.get('LT001')?.state === 'issued';
  const outcome = i % 3 === 2
    ? app.execute({ type: 'RecordScan', text: `LT-00${1 + (i % 3)}`, rawHex: '', source: 'wedge', device: `crash-${i}` }, { actor: { kind: 'system' }, source: 'wedge' }, () => null)
    : app.execute(issued ? { type: 'Return', tags: ['LT-001', 'LT-002'] } : { type: 'Issue', tags: ['LT-001', 'LT-002'], holder: 'EMP-1' },
      { actor: operator, source: 'console', key: `crash-${process.pid}-${i}` }, () => null);
  if (!outcome.ok) throw new Error(outcome.error.message);
  process.stdout.write(`ack ${outcome.events.at(-1)!.seq}\n`);
}
