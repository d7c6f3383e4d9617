// Benchmarks 1 and 2: durable single-command latency. Sequential appends, one command (or event) each, on
// fresh stores on disk: app.execute of RecordScan commands and of Issue/Return through an operator, the plain
// better-sqlite3 baseline, and the peer (Emmett) in its two set-ups when it is installed. All workloads run
// interleaved in small blocks, in a rotating order, so a slow moment of the shared machine or its disk falls
// on all of them alike; the baseline of every ratio is measured in the same minutes as what it divides.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import type { Command } from '../../appliance/domain/types.ts';
import { canonicalJson } from '../../appliance/store/canonical.ts';
import { BaselineStore, type BaselineRow } from './baseline-store.ts';
import { registerCage, scanCommand, scanData } from './cage.ts';
import type { Peer, PeerWorkload } from './peer-emmett.ts';
import { latencyStats, type LatencyStats } from './stats.ts';

type Pragmas = { journalMode: string; synchronous: number };

export interface PeerLatency {
  stats: LatencyStats;
  pragmas: Pragmas;
}

export interface AppendLatencyResult {
  /** RecordScan commands measured, and as many baseline inserts and peer appends */
  n: number;
  warmup: number;
  /** operations per block; the workloads take turns block by block */
  block: number;
  rounds: number;
  recordScan: LatencyStats;
  /** alternating Issue and Return of one asset, each its own command (n/2 of them) */
  issueReturn: LatencyStats;
  baseline: LatencyStats;
  pragmas: { ours: Pragmas; baseline: Pragmas };
  /** average bytes of the columns of one scan event row, ours and baseline */
  rowBytes: { ours: number; baseline: number };
  /**
   * Diagnostic, measured after the timed run with automatic checkpoints paused: WAL pages written per
   * command. SQLite checkpoints inside the committing call once the WAL holds 1000 pages, so a workload
   * writing k pages per commit pays a checkpoint on about k/1000 of its commits.
   */
  walPagesPerCommit: { ours: number; baseline: number };
  /** null when no peer was given; `failed` when it broke down during the run */
  peer: null | { version: string; perConnection: PeerLatency; shared: PeerLatency } | { failed: string };
}

const WARMUP = 50;
const BLOCK = 50;
/** after a block of the per-connection peer: its last connection closes (and checkpoints) asynchronously */
const SETTLE_MS = 25;

/** A baseline row the size of the store's ScanCaptured row for a scan of `tag`. */
export function scanRow(tag: string): BaselineRow {
  return { type: 'ScanCaptured', subject: tag, data: canonicalJson(scanData(tag)) };
}

interface Workload {
  name: string;
  /** operations per block */
  perBlock: number;
  run: () => void | Promise<void>;
  samples: number[];
  settleMs?: number;
}

async function timeOps(w: Workload, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const pending = w.run();
    if (pending) await pending;
    into.push(performance.now() - t0);
  }
  if (w.settleMs) await new Promise((resolve) => setTimeout(resolve, w.settleMs));
}

export async function measureAppendLatency(dir: string, n: number, peer: Peer | null): Promise<AppendLatencyResult> {
  const { app } = Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: join(dir, 'ours') }), 'BENCH-APPEND');
  app.store.startBackgroundCheckpoints(); // as the kiosk process (serve) runs
  const baseline = new BaselineStore(join(dir, 'baseline.db'));
  try {
    const cage = registerCage(app);
    let commands = 0;
    const execute = (cmd: Command): void => {
      const outcome = app.execute(cmd, { actor: cage.operator, source: 'wedge', key: `bench-${++commands}` }, (events) => ({ seq: events[0]?.seq }));
      if (!outcome.ok) throw outcome.error;
    };
    const cycle = <T>(xs: readonly T[]) => {
      let i = 0;
      return () => xs[i++ % xs.length]!;
    };
    const scanTag = cycle(cage.tags);
    const baselineRow = cycle(cage.tags.map(scanRow));
    // Issue tag k to a holder, then return it: every command is valid whatever came before.
    let issueReturns = 0;
    const issueOrReturn = (): Command => {
      const k = issueReturns++;
      const i = Math.floor(k / 2);
      const tag = cage.tags[i % cage.tags.length]!;
      return k % 2 === 0 ? { type: 'Issue', tags: [tag], holder: cage.holderBadges[i % cage.holderBadges.length]! } : { type: 'Return', tags: [tag] };
    };
    const peerWorkload = (name: string, w: PeerWorkload, settleMs?: number): Workload => {
      const tag = cycle(cage.tags);
      return { name, perBlock: BLOCK, samples: [], settleMs, run: () => { const t = tag(); return w.append(t, scanData(t)); } };
    };

    const workloads: Workload[] = [
      { name: 'recordScan', perBlock: BLOCK, samples: [], run: () => execute(scanCommand(scanTag())) },
      { name: 'baseline', perBlock: BLOCK, samples: [], run: () => baseline.appendOne(baselineRow()) },
      { name: 'issueReturn', perBlock: BLOCK / 2, samples: [], run: () => execute(issueOrReturn()) },
    ];
    if (peer) workloads.push(peerWorkload('perConnection', peer.perConnection, SETTLE_MS), peerWorkload('shared', peer.shared));

    let peerFailure = null as string | null;
    const guard = async (w: Workload, body: () => Promise<void>): Promise<void> => {
      try {
        await body();
      } catch (err) {
        if (w.name !== 'perConnection' && w.name !== 'shared') throw err;
        peerFailure = `${w.name}: ${(err as Error).message}`;
      }
    };
    const active = () => workloads.filter((w) => peerFailure === null || (w.name !== 'perConnection' && w.name !== 'shared'));

    for (const w of active()) await guard(w, () => timeOps(w, WARMUP, []));
    const rounds = Math.ceil(n / BLOCK);
    for (let r = 0; r < rounds; r++) {
      const turn = active();
      for (let j = 0; j < turn.length; j++) {
        const w = turn[(r + j) % turn.length]!;
        const left = Math.ceil((n * w.perBlock) / BLOCK) - w.samples.length;
        await guard(w, () => timeOps(w, Math.min(w.perBlock, left), w.samples));
      }
    }

    const stats = (name: string) => latencyStats(workloads.find((w) => w.name === name)!.samples);
    let peerResult: AppendLatencyResult['peer'] = null;
    if (peer && peerFailure !== null) peerResult = { failed: peerFailure };
    else if (peer) {
      peerResult = {
        version: peer.version,
        perConnection: { stats: stats('perConnection'), pragmas: await peer.perConnection.pragmas() },
        shared: { stats: stats('shared'), pragmas: await peer.shared.pragmas() },
      };
    }
    // The page count below is taken with SQLite's own checkpointing, so the worker cannot reset the WAL mid-count.
    app.store.stopBackgroundCheckpoints();
    return {
      n, warmup: WARMUP, block: BLOCK, rounds,
      recordScan: stats('recordScan'), issueReturn: stats('issueReturn'), baseline: stats('baseline'),
      pragmas: {
        ours: { journalMode: app.store.db.pragma('journal_mode', { simple: true }) as string, synchronous: app.store.db.pragma('synchronous', { simple: true }) as number },
        baseline: baseline.pragmas(),
      },
      rowBytes: { ours: averageRowBytes(app.store.db, "type = 'ScanCaptured'"), baseline: averageRowBytes(baseline.db, '1') },
      walPagesPerCommit: {
        ours: walPagesPerCommit(app.store.db, () => execute(scanCommand(scanTag()))),
        baseline: walPagesPerCommit(baseline.db, () => baseline.appendOne(baselineRow())),
      },
      peer: peerResult,
    };
  } finally {
    app.close();
    baseline.close();
    peer?.shared.close();
  }
}

/** WAL pages one operation writes, over 200 operations with automatic checkpoints paused. */
function walPagesPerCommit(db: Database.Database, op: () => void): number {
  const count = 200;
  const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('wal_autocheckpoint = 0');
  try {
    for (let i = 0; i < count; i++) op();
    const [status] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    return Math.round(((status?.log ?? Number.NaN) / count) * 10) / 10;
  } finally {
    db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  }
}

const ROW_BYTES = `avg(length(id) + length(type) + length(subject) + length(data) + length(actor) + length(source) +
  length(occurred_at) + length(recorded_at) + length(idempotency_key) + length(prev_hash) + length(hash) + 8)`;

/** Average size of an event row's columns (8 bytes for seq), over the rows matching `where`. */
export function averageRowBytes(db: Database.Database, where: string): number {
  return Math.round(Number(db.prepare(`SELECT ${ROW_BYTES} FROM events WHERE ${where}`).pluck().get()));
}
