// The report: every figure beside its baseline and their ratio, the targets with pass/fail, the machine;
// and the short summary run-bench prints. A ratio is always ours ÷ baseline of a cost (time or memory):
// 1 means as cheap as the baseline, 2 twice the cost. For throughput the baseline's rate ÷ ours is the same number.
import type { DeviceFigures } from './devices.ts';
import type { ReceiptFigures } from './receipts.ts';
import type { ExportFigures } from './export.ts';
import { cpus, loadavg, release, totalmem, tmpdir } from 'node:os';
import type { AppendLatencyResult } from './append-latency.ts';
import type { BatchResult } from './batch-append.ts';
import type { BuildResult } from './build-store.ts';
import type { ReplayMeasurement, StartMeasurement } from './child.ts';
import type { PeerLatency } from './append-latency.ts';
import type { KioskResult } from './kiosk.ts';
import { ratio, round } from './stats.ts';

export interface Machine {
  node: string;
  v8: string;
  platform: string;
  release: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  tmpdir: string;
  loadAverageAtStart: number[];
}

export interface Target {
  id: string;
  what: string;
  value: number;
  unit: string;
  rule: string;
  pass: boolean;
}

/** The runs of one child-process measurement and the one reported (the median run, said in `pick`). */
export interface Runs<T> {
  pick: 'median';
  /** null when every run failed */
  reported: T | null;
  runs: T[];
}

export type PeerResult =
  | {
    status: 'ok';
    package: string;
    version: string;
    /** whether this run found the peer installed or installed it (and how long that took) */
    install: { action: 'present' | 'installed'; ms?: number };
    perConnection: PeerLatency;
    shared: PeerLatency;
  }
  | { status: 'skipped'; package: string; reason: string };

export interface Measured {
  append: Omit<AppendLatencyResult, 'peer'>;
  peer: PeerResult;
  batch: BatchResult;
  build: BuildResult;
  replay: { ours: Runs<ReplayMeasurement>; baseline: Runs<ReplayMeasurement>; failures: string[] };
  start: { ours: Runs<StartMeasurement>; baseline: Runs<StartMeasurement>; failures: string[] };
  kiosk: KioskResult;
  devices: DeviceFigures;
  auditExport: ExportFigures;
  receipts: ReceiptFigures;
}

/** Call at the start of a run: the load average says how busy the shared machine was. */
export function machine(): Machine {
  const cpu = cpus();
  return {
    node: process.version, v8: process.versions.v8, platform: process.platform, release: release(), arch: process.arch,
    cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryGb: round(totalmem() / 2 ** 30, 1), tmpdir: tmpdir(),
    loadAverageAtStart: loadavg().map((x) => round(x, 2)),
  };
}

export function buildReport(m: Measured, info: { machine: Machine; date: string; durationMs: number; settings: Record<string, number> }) {
  const { append, peer, batch, build, replay, start, kiosk, devices, auditExport, receipts } = m;
  const base = append.baseline;
  const r = replay.ours.reported;
  const rb = replay.baseline.reported;
  const s = start.ours.reported;
  const sb = start.baseline.reported;
  const peerFigures = peer.status === 'ok'
    ? {
      ...peer,
      ratios: {
        perConnectionP99VsBaseline: ratio(peer.perConnection.stats.p99, base.p99),
        sharedP99VsBaseline: ratio(peer.shared.stats.p99, base.p99),
        oursP99VsPerConnection: ratio(append.recordScan.p99, peer.perConnection.stats.p99),
        oursP99VsShared: ratio(append.recordScan.p99, peer.shared.stats.p99),
      },
    }
    : peer;
  const figures = {
    append: {
      ...append,
      ratios: {
        recordScanP50: ratio(append.recordScan.p50, base.p50), recordScanP99: ratio(append.recordScan.p99, base.p99),
        recordScanMean: ratio(append.recordScan.mean, base.mean), issueReturnP99: ratio(append.issueReturn.p99, base.p99),
      },
    },
    peer: peerFigures,
    batch: { ...batch, ratio: ratio(batch.oursMs, batch.baselineMs) },
    build,
    replay: { ours: replay.ours, baseline: replay.baseline, ratio: r && rb ? ratio(r.ms, rb.ms) : null, failures: replay.failures },
    start: {
      ours: start.ours, baseline: start.baseline,
      ratioOpenToAnswer: s && sb ? ratio(s.openToAnswerMs, sb.openToAnswerMs) : null,
      ratioSinceProcessStart: s && sb ? ratio(s.sinceProcessStartMs, sb.sinceProcessStartMs) : null,
      failures: start.failures,
    },
    rss: { replay: peaks(replay.ours.runs, replay.baseline.runs), start: peaks(start.ours.runs, start.baseline.runs) },
    kiosk,
    devices,
    auditExport,
    receipts,
  };
  const scanToScreen = kiosk.latency.status === 'ok' ? kiosk.latency.scanToScreen.p99 : Number.NaN;
  const targets: Target[] = [
    target('append-p99-ratio', 'durable RecordScan p99 ÷ baseline p99', figures.append.ratios.recordScanP99, '×', '≤ 2', (v) => v <= 2),
    target('replay-rate', 'replay of the whole log', r?.eventsPerSec ?? Number.NaN, 'events/s', '≥ 200,000', (v) => v >= 200_000),
    target('cold-start', 'process start → holdings answered (median)', s?.sinceProcessStartMs ?? Number.NaN, 'ms', '< 1000', (v) => v < 1000),
    target('cold-start-no-replay', 'start read the whole log (replay/readEvents calls)', s ? s.logReads + (s.stateAtHead ? 0 : 1) : Number.NaN, 'reads', '= 0', (v) => v === 0),
    target('replay-rss', 'peak RSS of the replay process', figures.rss.replay.oursMb, 'MB', '< 150', (v) => v < 150),
    target('start-rss', 'peak RSS of the start process', figures.rss.start.oursMb, 'MB', '< 150', (v) => v < 150),
    target('dashboard-render-p99', 'dashboard server render p99 (1000 assets, 300 holders, 30 cases)', kiosk.dashboard.total.p99, 'ms', '< 20', (v) => v < 20),
    target('scan-to-screen-p99', 'scan arrival to screen p99, SSE in Chromium', scanToScreen, 'ms', '< 100', (v) => v < 100),
    target('export-vs-copy', `audit export of ${auditExport.events.toLocaleString('en-US')} events (write + fsync, read back + verify) ÷ plain copy + fsync of the same bytes`,
      auditExport.ratios.exportVsCopy ?? Number.NaN, '×', '≤ 3', (v) => v <= 3),
    target('export-vs-copy-stick', `the same export onto a FAT32 stick (fusefat) ÷ plain copy + fsync of the same bytes onto it${auditExport.stick.skipped ? ` (${auditExport.stick.skipped})` : ''}`,
      auditExport.stick.ratios.exportVsCopy ?? Number.NaN, '×', '≤ 3', (v) => v <= 3),
    target('verify-rate', 'verify.mjs of that bundle, its own process (node start included)', auditExport.verify.reported?.eventsPerSec ?? Number.NaN, 'events/s', '≥ 200,000', (v) => v >= 200_000),
    target('cradle-upload-vs-wire', `cradle upload of ${devices.cradle.paced.records} records at 9600 baud, dock → committed ÷ wire time`, devices.cradle.paced.ratioToWire, '×', '≤ 1.2', (v) => v <= 1.2),
  ];
  return {
    tool: 'assettrack bench (npm run bench)',
    date: info.date,
    durationMs: Math.round(info.durationMs),
    machine: info.machine,
    settings: info.settings,
    ratioMeaning: 'ours ÷ baseline of a cost (ms or MB); for a rate, baseline rate ÷ ours. 1 = as cheap as the baseline.',
    figures,
    targets,
    allTargetsMet: targets.every((t) => t.pass),
  };
}

export type BenchReport = ReturnType<typeof buildReport>;

function target(id: string, what: string, value: number, unit: string, rule: string, ok: (v: number) => boolean): Target {
  return { id, what, value, unit, rule, pass: Number.isFinite(value) && ok(value) };
}

type Peak = { maxRssMb: number; vmHwmMb: number | null };

/** The highest peak RSS over the runs (resourceUsage().maxRSS; Linux's VmHWM beside it as a cross-check). */
function peaks(ours: Peak[], baseline: Peak[]) {
  const max = (xs: number[]) => (xs.length > 0 ? Math.max(...xs) : Number.NaN);
  const rss = (xs: Peak[]) => max(xs.map((x) => x.maxRssMb));
  const hwm = (xs: Peak[]) => max(xs.flatMap((x) => (x.vmHwmMb === null ? [] : [x.vmHwmMb])));
  return {
    oursMb: rss(ours), baselineMb: rss(baseline), ratio: ratio(rss(ours), rss(baseline)),
    vmHwm: { oursMb: hwm(ours), baselineMb: hwm(baseline) },
  };
}

const fmt = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: digits }));

/** The few lines printed at the end of a run. */
export function summary(report: BenchReport, path: string): string {
  const f = report.figures;
  const a = f.append;
  const lines = [
    `assettrack bench — ${report.date}, node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpuModel}, ${fmt(report.durationMs / 1000, 0)} s`,
    `1 durable append (${a.n} each, ms p50/p99/mean):`,
    `    RecordScan   ${fmt(a.recordScan.p50, 3)} / ${fmt(a.recordScan.p99, 3)} / ${fmt(a.recordScan.mean, 3)}   p99 ×${fmt(a.ratios.recordScanP99)} baseline`,
    `    Issue/Return ${fmt(a.issueReturn.p50, 3)} / ${fmt(a.issueReturn.p99, 3)} / ${fmt(a.issueReturn.mean, 3)}   p99 ×${fmt(a.ratios.issueReturnP99)} baseline`,
    `    baseline     ${fmt(a.baseline.p50, 3)} / ${fmt(a.baseline.p99, 3)} / ${fmt(a.baseline.mean, 3)}   (better-sqlite3 insert + SHA-256, WAL, synchronous=FULL)`,
    `    WAL pages written per command: ours ${fmt(a.walPagesPerCommit.ours, 1)}, baseline ${fmt(a.walPagesPerCommit.baseline, 1)} (a checkpoint every 1000)`,
  ];
  if (f.peer.status === 'ok') {
    const p = f.peer;
    lines.push(
      `2 peer ${p.package} ${p.version} (ms p50/p99/mean):`,
      `    connection per append ${fmt(p.perConnection.stats.p50, 3)} / ${fmt(p.perConnection.stats.p99, 3)} / ${fmt(p.perConnection.stats.mean, 3)}   p99 ×${fmt(p.ratios.perConnectionP99VsBaseline)} baseline`,
      `    shared connection     ${fmt(p.shared.stats.p50, 3)} / ${fmt(p.shared.stats.p99, 3)} / ${fmt(p.shared.stats.mean, 3)}   p99 ×${fmt(p.ratios.sharedP99VsBaseline)} baseline`,
    );
  } else {
    lines.push(`2 peer ${f.peer.package}: SKIPPED — ${f.peer.reason}`);
  }
  lines.push(
    `3 one batch of ${fmt(f.batch.events, 0)} scan events: ${fmt(f.batch.oursMs, 1)} ms (${fmt(f.batch.oursEventsPerSec, 0)} events/s); baseline ${fmt(f.batch.baselineMs, 1)} ms; ×${fmt(f.batch.ratio)}`,
    `4 store of ${fmt(f.build.events, 0)} events built in ${fmt(f.build.ms / 1000, 1)} s (${fmt(f.build.fileMb, 0)} MB)`,
    `    replay (median of ${f.replay.ours.runs.length}) ${fmt(f.replay.ours.reported?.eventsPerSec, 0)} events/s (${fmt(f.replay.ours.reported?.ms, 0)} ms); SELECT * ${fmt(f.replay.baseline.reported?.eventsPerSec, 0)} rows/s; ×${fmt(f.replay.ratio)}`,
    `    cold start (median of ${f.start.ours.runs.length}) ${fmt(f.start.ours.reported?.sinceProcessStartMs, 0)} ms from process start (${fmt(f.start.ours.reported?.openToAnswerMs, 1)} ms open → answer); plain SQL ${fmt(f.start.baseline.reported?.sinceProcessStartMs, 0)} ms`,
    `    peak RSS: replay ${fmt(f.rss.replay.oursMb, 1)} MB (SELECT * ${fmt(f.rss.replay.baselineMb, 1)}), start ${fmt(f.rss.start.oursMb, 1)} MB (plain ${fmt(f.rss.start.baselineMb, 1)})`,
    `5 kiosk: dashboard render (ms p50/p99/mean) ${fmt(f.kiosk.dashboard.total.p50, 2)} / ${fmt(f.kiosk.dashboard.total.p99, 2)} / ${fmt(f.kiosk.dashboard.total.mean, 2)}, ${fmt(f.kiosk.dashboard.htmlKb, 0)} KB of HTML`,
    f.kiosk.latency.status === 'ok'
      ? `    scan to screen (ms p50/p99/mean) ${fmt(f.kiosk.latency.scanToScreen.p50, 2)} / ${fmt(f.kiosk.latency.scanToScreen.p99, 2)} / ${fmt(f.kiosk.latency.scanToScreen.mean, 2)} (Chromium ${f.kiosk.latency.chromium})`
      : `    scan to screen: SKIPPED — ${f.kiosk.latency.reason}`,
    `    client bundle ${fmt(f.kiosk.bundle.kb, 1)} KB (gzip ${fmt(f.kiosk.bundle.gzipKb, 1)} KB, brotli ${fmt(f.kiosk.bundle.brotliKb, 1)} KB)`,
    `7 cradle upload of ${fmt(f.devices.cradle.paced.records, 0)} records (${fmt(f.devices.cradle.paced.bytes, 0)} bytes): at 9600 baud ${fmt(f.devices.cradle.paced.dockToCommittedMs / 1000, 2)} s dock → committed, wire alone ${fmt(f.devices.cradle.paced.wireMs / 1000, 2)} s, ×${fmt(f.devices.cradle.paced.ratioToWire, 3)}; commit ${fmt(f.devices.cradle.paced.commitMs, 0)} ms`,
    `    unpaced pty ${fmt(f.devices.cradle.unpaced.dockToCommittedMs, 0)} ms dock → committed (commit ${fmt(f.devices.cradle.unpaced.commitMs, 0)} ms)`,
    `    wedge intake ${fmt(f.devices.wedge.scansPerSec, 0)} scans/s durable through the device listener; straight execute() ${fmt(f.devices.wedge.baselineScansPerSec, 0)} scans/s; ×${fmt(f.devices.wedge.ratio)}`,
  );
  const ex = f.auditExport;
  const e = ex.export.reported;
  const c = ex.copy.reported;
  lines.push(
    `8 audit export of ${fmt(ex.events, 0)} events (median of ${ex.export.runs.length}): ${fmt(e ? e.totalMs / 1000 : null, 2)} s (write ${fmt(e ? e.writeMs / 1000 : null, 2)} s, read-back verify ${fmt(e ? e.readBackMs / 1000 : null, 2)} s), ${fmt(e ? e.bytes / 2 ** 20 : null, 0)} MB`,
    `    plain copy + fsync of the same bytes ${fmt(c ? c.ms / 1000 : null, 2)} s; export ×${fmt(ex.ratios.exportVsCopy)} (write alone ×${fmt(ex.ratios.writeVsCopy)})`,
    `    verify.mjs as its own process ${fmt(ex.verify.reported ? ex.verify.reported.ms / 1000 : null, 2)} s, ${fmt(ex.verify.reported?.eventsPerSec, 0)} events/s`,
    'targets:',
    ...report.targets.map((t) => `    ${t.pass ? 'PASS' : 'MISS'}  ${t.what}: ${fmt(t.value)} ${t.unit} (target ${t.rule})`),
    ...[...f.replay.failures, ...f.start.failures, ...f.auditExport.failures].map((x) => `    problem: ${x}`),
    `report: ${path}`,
  );
  return lines.join('\n');
}
