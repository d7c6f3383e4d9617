// One measurement in a fresh process, so its peak RSS is its own: `node test/bench/child.ts MODE DATA_DIR`.
// Prints one JSON line on stdout. Modules are imported inside each mode, so a baseline process loads
// only better-sqlite3 and the appliance's processes pay for loading the appliance, as a real start does.
//   replay           EventStore.replay() of the whole log
//   replay-baseline  plain SELECT * FROM events, iterated
//   start            Appliance.open + holdingsQuery (the appliance's cold start)
//   start-baseline   plain better-sqlite3 open + the "who holds what" SQL on the projection tables
import { join } from 'node:path';
import type { EventStore as Store } from '../../appliance/store/event-store.ts';
import { maxRssMb, perSecond, round, vmHwmMb } from './stats.ts';

export interface ReplayMeasurement {
  events: number;
  ms: number;
  eventsPerSec: number;
  /** issued assets in the replayed state (not for the baseline) */
  assetsIssued?: number;
  maxRssMb: number;
  /** Linux's VmHWM, a cross-check of maxRssMb */
  vmHwmMb: number | null;
}

export interface StartMeasurement {
  /** from just before opening the store to the answer */
  openToAnswerMs: number;
  /** from process start (node boot, module loading included) to the answer */
  sinceProcessStartMs: number;
  holders: number;
  assetsHeld: number;
  /** how often the whole log was read (replay/readEvents) during the start: must be 0 */
  logReads: number;
  /** the state's seq equals the chain head: the state came whole from the projection tables */
  stateAtHead: boolean;
  maxRssMb: number;
  vmHwmMb: number | null;
}

const DB_FILE = 'assettrack.db';

async function replay(dataDir: string): Promise<ReplayMeasurement> {
  const { EventStore } = await import('../../appliance/store/event-store.ts');
  const store = EventStore.open(dataDir);
  const t0 = performance.now();
  const state = store.replay();
  const ms = performance.now() - t0;
  const assetsIssued = [...state.assets.values()].filter((a) => a.state === 'issued').length;
  store.close();
  return { events: state.seq, ms: round(ms, 1), eventsPerSec: perSecond(state.seq, ms), assetsIssued, maxRssMb: maxRssMb(), vmHwmMb: vmHwmMb() };
}

async function replayBaseline(dataDir: string): Promise<ReplayMeasurement> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dataDir, DB_FILE));
  const t0 = performance.now();
  let rows = 0;
  for (const _row of db.prepare('SELECT * FROM events').iterate()) rows++;
  const ms = performance.now() - t0;
  db.close();
  return { events: rows, ms: round(ms, 1), eventsPerSec: perSecond(rows, ms), maxRssMb: maxRssMb(), vmHwmMb: vmHwmMb() };
}

async function start(dataDir: string): Promise<StartMeasurement> {
  const [{ Appliance }, { loadConfig }, { holdingsQuery }, { EventStore }] = await Promise.all([
    import('../../appliance/appliance.ts'), import('../../appliance/config.ts'), import('../../appliance/queries.ts'),
    import('../../appliance/store/event-store.ts'),
  ]);
  // Count every read of the whole log: a start that replays would show it here.
  let logReads = 0;
  const replayAll = EventStore.prototype.replay;
  EventStore.prototype.replay = function (this: Store) {
    logReads++;
    return replayAll.call(this);
  };
  const readEvents = EventStore.prototype.readEvents;
  EventStore.prototype.readEvents = function* (this: Store, from?: number, to?: number) {
    logReads++;
    yield* readEvents.call(this, from, to);
  };

  const t0 = performance.now();
  const app = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: dataDir }));
  const answer = holdingsQuery(app.state(), new Date());
  const t1 = performance.now();
  const stateAtHead = app.state().seq === app.store.head().seq;
  app.close();
  return {
    openToAnswerMs: round(t1 - t0, 1), sinceProcessStartMs: round(t1, 1), holders: answer.holders.length,
    assetsHeld: answer.holders.reduce((n, h) => n + h.assets.length, 0), logReads, stateAtHead, maxRssMb: maxRssMb(), vmHwmMb: vmHwmMb(),
  };
}

async function startBaseline(dataDir: string): Promise<StartMeasurement> {
  const { default: Database } = await import('better-sqlite3');
  const t0 = performance.now();
  const db = new Database(join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  const rows = db.prepare(`SELECT h.id, h.name, a.tag, a.since FROM assets a JOIN holders h ON h.id = a.holder_id
    WHERE a.state = 'issued' ORDER BY h.name, h.id, a.since, a.tag`).all() as { id: string }[];
  const t1 = performance.now();
  db.close();
  return {
    openToAnswerMs: round(t1 - t0, 1), sinceProcessStartMs: round(t1, 1), holders: new Set(rows.map((r) => r.id)).size,
    assetsHeld: rows.length, logReads: 0, stateAtHead: true, maxRssMb: maxRssMb(), vmHwmMb: vmHwmMb(),
  };
}

const MODES: Record<string, (dataDir: string) => Promise<unknown>> = {
  replay, 'replay-baseline': replayBaseline, start, 'start-baseline': startBaseline,
};

const [mode = '', dataDir = ''] = process.argv.slice(2);
const run = MODES[mode];
if (!run || !dataDir) {
  console.error(`usage: node test/bench/child.ts ${Object.keys(MODES).join('|')} DATA_DIR`);
  process.exit(2);
}
console.log(JSON.stringify(await run(dataDir)));
