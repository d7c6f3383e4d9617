// Builds the large store the replay and start benchmarks read: the cage registered through app.execute,
// then about a year of kiosk traffic, decided command by command by decide() and written with
// store.transaction + store.append in transactions of `batchEvents` events: mostly scans (those between two
// custody commands appended together), a few thousand issues and returns by the operator.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Appliance, actorName } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import { decide } from '../../appliance/domain/decide.ts';
import { tagKey } from '../../appliance/domain/tags.ts';
import type { Actor, CageState, Command, NewEvent, Source } from '../../appliance/domain/types.ts';
import { DB_FILE, EventStore } from '../../appliance/store/event-store.ts';
import { averageRowBytes } from './append-latency.ts';
import { registerCage, scanCommand, scanValue, seededRandom, type Cage } from './cage.ts';
import { perSecond, round } from './stats.ts';

export interface BuildResult {
  events: number;
  batchEvents: number;
  ms: number;
  eventsPerSec: number;
  fileMb: number;
  avgRowBytes: number;
  eventTypes: Record<string, number>;
  assetsIssued: number;
  holdersHolding: number;
}

// Issues per event; returns follow at a lower rate until about HELD laptops are out, then at a higher one.
const ISSUE_RATE = 0.0025;
const HELD = 200;
const STEP_MS = 30_000;
const SYSTEM: Actor = { kind: 'system' };

export function buildStore(dataDir: string, total: number, batchEvents: number): BuildResult {
  const t0 = performance.now();
  let clock = Date.parse('2025-01-06T07:00:00.000Z');
  const now = () => new Date(clock);
  const { app } = Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: dataDir }), 'BENCH-1M', now);
  const cage = registerCage(app);
  app.close();

  const store = EventStore.open(dataDir);
  try {
    // Settings of this connection only, for speed: a bigger page cache (the random-UUID index of a million rows
    // outgrows the default 2 MB) and no fsync (a fixture need not survive a power cut). The file is the same.
    store.db.pragma('cache_size = -262144');
    store.db.pragma('synchronous = OFF');
    const state = store.loadState();
    const random = seededRandom(1);
    const issued: string[] = [];
    // Scans between two custody commands are decided one by one and appended together (one append per run
    // of scans, sharing its time): the per-append work (head, projection flush) would otherwise dominate.
    let pending: NewEvent[] = [];
    const decideAt = (cmd: Command, actor: Actor, at: string): NewEvent[] => {
      const decision = decide(cmd, state, { now: at, actor, duplicateWindowMs: 750, maxScanLength: 128, scanPrefixes: {} });
      if (!decision.ok) throw decision.error;
      return decision.events;
    };
    const append = (events: NewEvent[], actor: Actor, source: Source, at: string): void => {
      store.append(state, events.slice(0, total - state.seq), {
        actor: actorName(actor), source, occurredAt: at, recordedAt: at, idempotencyKey: `auto:${randomUUID()}`,
      });
    };
    const tick = (): string => {
      clock += Math.round(STEP_MS * (0.5 + random()));
      return new Date(clock).toISOString();
    };
    const flushScans = (): void => {
      if (pending.length > 0) append(pending, SYSTEM, 'wedge', new Date(clock).toISOString());
      pending = [];
    };
    while (state.seq < total) {
      store.transaction(() => {
        const end = Math.min(total, state.seq + batchEvents);
        while (state.seq + pending.length < end) {
          const { cmd, actor } = nextCommand(random, cage, state, issued);
          const at = tick();
          if (cmd.type === 'RecordScan') {
            pending.push(...decideAt(cmd, actor, at));
          } else {
            flushScans();
            append(decideAt(cmd, actor, at), actor, 'touch', at);
          }
        }
        flushScans();
      });
    }
    const eventTypes = Object.fromEntries(
      (store.db.prepare('SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC').all() as { type: string; n: number }[])
        .map((r) => [r.type, r.n]),
    );
    const holding = [...state.assets.values()].filter((a) => a.state === 'issued');
    const result: Omit<BuildResult, 'ms' | 'eventsPerSec' | 'fileMb'> = {
      events: state.seq, batchEvents, avgRowBytes: averageRowBytes(store.db, "type = 'ScanCaptured'"), eventTypes,
      assetsIssued: holding.length, holdersHolding: new Set(holding.map((a) => a.holderId)).size,
    };
    store.close();
    const ms = performance.now() - t0;
    return { ...result, ms: Math.round(ms), eventsPerSec: perSecond(result.events, ms), fileMb: round(statSync(join(dataDir, DB_FILE)).size / 2 ** 20, 1) };
  } catch (err) {
    store.close();
    throw err;
  }
}

/** A scan most of the time; now and then the operator issues one or two laptops or takes one back. */
function nextCommand(random: () => number, cage: Cage, state: CageState, issued: string[]): { cmd: Command; actor: Actor } {
  const r = random();
  const returnRate = issued.length > HELD ? ISSUE_RATE * 1.4 : ISSUE_RATE * 0.6;
  if (r < returnRate && issued.length > 0) {
    const i = Math.floor(random() * issued.length);
    const tag = issued[i]!;
    issued[i] = issued.at(-1)!;
    issued.pop();
    return { cmd: { type: 'Return', tags: [tag] }, actor: cage.operator };
  }
  if (r < returnRate + ISSUE_RATE) {
    const tags: string[] = [];
    const want = random() < 0.2 ? 2 : 1;
    for (let tries = 0; tries < 10 && tags.length < want; tries++) {
      const tag = cage.tags[Math.floor(random() * cage.tags.length)]!;
      if (state.assets.get(tagKey(tag))?.state === 'in_storage' && !tags.includes(tag)) tags.push(tag);
    }
    if (tags.length > 0) {
      issued.push(...tags);
      const holder = cage.holderBadges[Math.floor(random() * cage.holderBadges.length)]!;
      return { cmd: { type: 'Issue', tags, holder }, actor: cage.operator };
    }
  }
  return { cmd: scanCommand(scanValue(random, cage)), actor: SYSTEM };
}
