// npm run bench: measures the event store against baselines taken in the same run and writes
// ./bench-report.json (or $BENCH_REPORT). See docs/performance.md for what each figure means.
//   BENCH_APPEND_N      sequential appends per latency workload (default 2000)
//   BENCH_STORE_EVENTS  size of the store replayed and started (default 1,000,000)
//   BENCH_RENDER_N      dashboard renders measured (default 300); BENCH_SCAN_N scans timed to the screen (default 200)
//   BENCH_CRADLE_N      records in the cradle upload (default 2000); BENCH_WEDGE_N wedge scans (default 500)
//   (benchmark 8, the audit export, exports the store of benchmark 4: BENCH_STORE_EVENTS events)
// Everything is written under one temp dir, removed at the end.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measureAppendLatency } from './append-latency.ts';
import { measureBatchAppend } from './batch-append.ts';
import { measureDevices } from './devices.ts';
import { buildStore } from './build-store.ts';
import { measureExport } from './export.ts';
import { measureReceipts } from './receipts.ts';
import { measureReplay, measureStart } from './fresh-process.ts';
import { measureKiosk } from './kiosk.ts';
import { openPeer, type Peer } from './peer-emmett.ts';
import { ensurePeerInstalled, PEER_PACKAGE } from './peer-install.ts';
import { buildReport, machine, summary, type PeerResult } from './report.ts';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}".`);
  return n;
}

const settings = {
  appendN: setting('BENCH_APPEND_N', 2000),
  appendWarmup: 50,
  batchEvents: 10_000,
  storeEvents: setting('BENCH_STORE_EVENTS', 1_000_000),
  storeBatchEvents: 10_000,
  renderN: setting('BENCH_RENDER_N', 300),
  scanN: setting('BENCH_SCAN_N', 200),
  cradleRecords: setting('BENCH_CRADLE_N', 2000),
  wedgeScans: setting('BENCH_WEDGE_N', 500),
  receiptN: setting('BENCH_RECEIPT_N', 500),
};
const reportPath = resolve(process.env.BENCH_REPORT || 'bench-report.json');
const started = performance.now();
const date = new Date().toISOString();
const host = machine();
const log = (line: string) => console.log(line);
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const root = mkdtempSync(join(tmpdir(), 'assettrack-bench-'));
const dir = (name: string) => {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return path;
};

try {
  log(`assettrack bench: node ${process.version}, ${host.cpus} cpus, temp dir ${root}`);
  log(`[1/9 ${elapsed()}] the peer for benchmark 2: ${PEER_PACKAGE} in test/bench/peer…`);
  const install = await ensurePeerInstalled(log);
  let peer: Peer | null = null;
  let peerProblem = install.ok ? null : install.reason;
  if (install.ok) {
    try {
      peer = await openPeer(dir('peer'));
    } catch (err) {
      peerProblem = `it is installed but cannot be loaded: ${(err as Error).message}`;
    }
  }
  if (peerProblem) log(`  peer skipped: ${peerProblem}`);

  log(`[2/9 ${elapsed()}] durable append latency, interleaved: ${settings.appendN} each of RecordScan, baseline${peer ? ', peer per-connection, peer shared' : ''}; ${settings.appendN / 2} Issue/Return…`);
  const { peer: peerLatency, ...append } = await measureAppendLatency(dir('append'), settings.appendN, peer);
  let peerResult: PeerResult;
  if (peerLatency && 'failed' in peerLatency) peerResult = { status: 'skipped', package: PEER_PACKAGE, reason: `it failed during the run: ${peerLatency.failed}` };
  else if (peerLatency && install.ok) peerResult = { status: 'ok', package: PEER_PACKAGE, install: { action: install.action, ms: install.ms }, ...peerLatency };
  else peerResult = { status: 'skipped', package: PEER_PACKAGE, reason: peerProblem ?? 'not run' };

  log(`[3/9 ${elapsed()}] one transaction of ${settings.batchEvents} scan events…`);
  const batch = measureBatchAppend(dir('batch'), settings.batchEvents);

  log(`[4/9 ${elapsed()}] building a store of ${settings.storeEvents.toLocaleString('en-US')} events…`);
  const storeDir = join(dir('large'), 'store');
  const build = buildStore(storeDir, settings.storeEvents, settings.storeBatchEvents);
  log(`  built in ${(build.ms / 1000).toFixed(1)} s (${build.fileMb} MB)`);

  log(`[5/9 ${elapsed()}] replay and cold start, each in a fresh process…`);
  const replay = await measureReplay(storeDir);
  const start = await measureStart(storeDir);

  log(`[6/9 ${elapsed()}] the kiosk: dashboard render (${settings.renderN}), scan to screen in Chromium (${settings.scanN}), client bundle…`);
  const kiosk = await measureKiosk(dir('kiosk'), { renderN: settings.renderN, scanN: settings.scanN }, log);

  log(`[7/9 ${elapsed()}] devices: a ${settings.cradleRecords}-record cradle upload over a pty, ${settings.wedgeScans} wedge scans…`);
  const devices = await measureDevices({ cradleRecords: settings.cradleRecords, wedgeScans: settings.wedgeScans }, log);

  log(`[8/9 ${elapsed()}] audit export of the ${settings.storeEvents.toLocaleString('en-US')}-event store (export, verify.mjs, plain copy; 3 rounds, fresh processes)…`);
  const auditExport = await measureExport({ storeDir, events: settings.storeEvents, workDir: dir('export') }, log);

  log(`[9/9 ${elapsed()}] hand receipts: an issue with a 300-point signature vs a plain issue (${settings.receiptN} each, interleaved)…`);
  const receipts = await measureReceipts({ n: settings.receiptN, points: 300 }, log);

  const report = buildReport({ append, peer: peerResult, batch, build, replay, start, kiosk, devices, auditExport, receipts }, { machine: host, date, durationMs: performance.now() - started, settings });
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  log('');
  log(summary(report, reportPath));
} finally {
  rmSync(root, { recursive: true, force: true });
}
