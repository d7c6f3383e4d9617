// Child process for the backup test: records scans through app.execute (one committed transaction each)
// for `ms` milliseconds, printing "ack SEQ" after each commit, then "done HEAD" and exits.
import { Appliance } from '../../../appliance/appliance.ts';
import { loadConfig } from '../../../appliance/config.ts';

const dir = process.argv[2]!;
const ms = Number(process.argv[3] ?? 2000);
const app = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: dir }));
const until = Date.now() + ms;
for (let i = 0; Date.now() < until; i++) {
  const text = `LT-${String((i % 40) + 1).padStart(5, '0')}\r`;
  const outcome = app.execute({ type: 'RecordScan', text, rawHex: Buffer.from(text).toString('hex'), source: 'wedge', device: `writer-${i % 8}` },
    { actor: { kind: 'system' }, source: 'wedge' }, () => null);
  if (!outcome.ok) throw new Error(outcome.error.message);
  process.stdout.write(`ack ${outcome.events.at(-1)!.seq}\n`);
}
process.stdout.write(`done ${app.store.head().seq}\n`);
app.close();
