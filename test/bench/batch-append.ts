// Benchmark 3: one batch of 10,000 scan events in one transaction through EventStore.append (chain, evolve,
// projections, one commit), against the baseline writing 10,000 chained rows in one transaction.
import { join } from 'node:path';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import { decide } from '../../appliance/domain/decide.ts';
import type { NewEvent } from '../../appliance/domain/types.ts';
import { canonicalJson } from '../../appliance/store/canonical.ts';
import { EventStore } from '../../appliance/store/event-store.ts';
import { BaselineStore } from './baseline-store.ts';
import { registerCage, scanCommand, scanValue, seededRandom } from './cage.ts';
import { median, perSecond, round } from './stats.ts';

export interface BatchResult {
  events: number;
  repetitions: number;
  /** median over the repetitions */
  oursMs: number;
  oursEventsPerSec: number;
  baselineMs: number;
  baselineRowsPerSec: number;
  runs: { oursMs: number[]; baselineMs: number[] };
}

const REPETITIONS = 3;

export function measureBatchAppend(dir: string, events: number): BatchResult {
  const config = loadConfig({ ASSETTRACK_DATA_DIR: join(dir, 'ours') });
  const { app } = Appliance.init(config, 'BENCH-BATCH');
  const cage = registerCage(app);
  app.close();
  const store = EventStore.open(config.dataDir);
  const baseline = new BaselineStore(join(dir, 'baseline.db'));
  try {
    const state = store.loadState();
    const random = seededRandom(3);
    const oursMs: number[] = [];
    const baselineMs: number[] = [];
    for (let rep = 0; rep < REPETITIONS; rep++) {
      // The events decide() proposes for 10,000 scans (made before the clock starts: append is measured).
      const now = new Date().toISOString();
      const batch: NewEvent[] = [];
      for (let i = 0; i < events; i++) {
        const decision = decide(scanCommand(scanValue(random, cage)), state, { now, actor: { kind: 'system' }, duplicateWindowMs: 750, maxScanLength: 128, scanPrefixes: {} });
        if (!decision.ok) throw decision.error;
        batch.push(...decision.events);
      }
      const rows = batch.map((e) => ({ type: e.type, subject: e.subject, data: canonicalJson(e.data) }));

      let t0 = performance.now();
      store.transaction(() => store.append(state, batch, { actor: 'system', source: 'wedge', occurredAt: now, recordedAt: now, idempotencyKey: `batch-${rep}` }));
      oursMs.push(performance.now() - t0);

      t0 = performance.now();
      baseline.appendMany(rows);
      baselineMs.push(performance.now() - t0);
    }
    const ours = median(oursMs);
    const base = median(baselineMs);
    return {
      events, repetitions: REPETITIONS,
      oursMs: round(ours, 1), oursEventsPerSec: perSecond(events, ours),
      baselineMs: round(base, 1), baselineRowsPerSec: perSecond(events, base),
      runs: { oursMs: oursMs.map((x) => round(x, 1)), baselineMs: baselineMs.map((x) => round(x, 1)) },
    };
  } finally {
    store.close();
    baseline.close();
  }
}
