// Prints the figures of a bench report as the Markdown table of docs/performance.md:
//   node test/bench/report-table.ts [bench-report.json]
import { readFileSync } from 'node:fs';
import type { BenchReport } from './report.ts';

const path = process.argv[2] ?? 'bench-report.json';
const report = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
const f = report.figures;
const n = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: digits }));
const targetOf = (id: string): string => {
  const t = report.targets.find((x) => x.id === id);
  return t ? `${t.rule} ${t.unit === '×' ? '' : t.unit}`.trim() + (t.pass ? ' — **met**' : ' — **missed**') : '';
};

const rows: [string, string, string, string, string][] = [];
const a = f.append;
rows.push(
  ['1 durable append, RecordScan (ms p50 / p99 / mean)', `${n(a.recordScan.p50, 3)} / ${n(a.recordScan.p99, 3)} / ${n(a.recordScan.mean, 3)}`,
    `${n(a.baseline.p50, 3)} / ${n(a.baseline.p99, 3)} / ${n(a.baseline.mean, 3)}`, `p99 ×${n(a.ratios.recordScanP99)} (p50 ×${n(a.ratios.recordScanP50)})`, `p99 ratio ${targetOf('append-p99-ratio')}`],
  ['1 durable append, Issue/Return (ms p50 / p99 / mean)', `${n(a.issueReturn.p50, 3)} / ${n(a.issueReturn.p99, 3)} / ${n(a.issueReturn.mean, 3)}`,
    'same baseline', `p99 ×${n(a.ratios.issueReturnP99)}`, ''],
);
if (f.peer.status === 'ok') {
  const p = f.peer;
  rows.push(
    [`2 peer ${p.version}, connection per append (ms p50 / p99 / mean)`, `${n(p.perConnection.stats.p50, 3)} / ${n(p.perConnection.stats.p99, 3)} / ${n(p.perConnection.stats.mean, 3)}`,
      'same baseline', `p99 ×${n(p.ratios.perConnectionP99VsBaseline)}`, ''],
    [`2 peer ${p.version}, shared connection (ms p50 / p99 / mean)`, `${n(p.shared.stats.p50, 3)} / ${n(p.shared.stats.p99, 3)} / ${n(p.shared.stats.mean, 3)}`,
      'same baseline', `p99 ×${n(p.ratios.sharedP99VsBaseline)}`, ''],
  );
} else {
  rows.push(['2 peer', `skipped: ${f.peer.reason}`, '', '', '']);
}
const r = f.replay.ours.reported;
const rb = f.replay.baseline.reported;
const s = f.start.ours.reported;
const sb = f.start.baseline.reported;
rows.push(
  [`3 one transaction of ${n(f.batch.events, 0)} scan events (ms; events/s)`, `${n(f.batch.oursMs, 1)}; ${n(f.batch.oursEventsPerSec, 0)}`,
    `${n(f.batch.baselineMs, 1)}; ${n(f.batch.baselineRowsPerSec, 0)}`, `×${n(f.batch.ratio)}`, ''],
  [`4a replay of ${n(f.build.events, 0)} events (events/s; ms)`, `${n(r?.eventsPerSec, 0)}; ${n(r?.ms, 0)}`, `${n(rb?.eventsPerSec, 0)}; ${n(rb?.ms, 0)} (SELECT *)`,
    `×${n(f.replay.ratio)}`, targetOf('replay-rate')],
  ['4b cold start: process start → holdings answered (ms)', n(s?.sinceProcessStartMs, 0), `${n(sb?.sinceProcessStartMs, 0)} (plain SQL)`, `×${n(f.start.ratioSinceProcessStart)}`, targetOf('cold-start')],
  ['4b of which open → answer (ms); whole-log reads', `${n(s?.openToAnswerMs, 1)}; ${n(s?.logReads, 0)}`, n(sb?.openToAnswerMs, 1), `×${n(f.start.ratioOpenToAnswer)}`, `no replay ${targetOf('cold-start-no-replay')}`],
  ['4c peak RSS, replay process (MB)', n(f.rss.replay.oursMb, 1), n(f.rss.replay.baselineMb, 1), `×${n(f.rss.replay.ratio)}`, targetOf('replay-rss')],
  ['4c peak RSS, start process (MB)', n(f.rss.start.oursMb, 1), n(f.rss.start.baselineMb, 1), `×${n(f.rss.start.ratio)}`, targetOf('start-rss')],
);

const k = f.kiosk;
if (k) {
  rows.push(
    ['5a dashboard server render (ms p50 / p99 / mean)', `${n(k.dashboard.total.p50, 2)} / ${n(k.dashboard.total.p99, 2)} / ${n(k.dashboard.total.mean, 2)}`,
      `of which data: ${n(k.dashboard.data.p50, 2)} / ${n(k.dashboard.data.p99, 2)}`, `${n(k.dashboard.htmlKb, 0)} KB HTML`, targetOf('dashboard-render-p99')],
    k.latency.status === 'ok'
      ? ['5b scan arrival → screen via SSE in Chromium (ms p50 / p99 / mean)', `${n(k.latency.scanToScreen.p50, 2)} / ${n(k.latency.scanToScreen.p99, 2)} / ${n(k.latency.scanToScreen.mean, 2)}`,
        `of which POST answered: ${n(k.latency.scanAnswered.p50, 2)} / ${n(k.latency.scanAnswered.p99, 2)}`, '', targetOf('scan-to-screen-p99')]
      : ['5b scan arrival → screen', `skipped: ${k.latency.reason}`, '', '', ''],
    ['5c client bundle (KB as served; gzip; brotli)', `${n(k.bundle.kb, 1)}; ${n(k.bundle.gzipKb, 1)}; ${n(k.bundle.brotliKb, 1)}`, '', '', ''],
  );
}

const x = f.auditExport;
if (x) {
  const e = x.export.reported;
  const c = x.copy.reported;
  const v = x.verify.reported;
  const s2 = (ms: number | undefined) => n(ms === undefined ? undefined : ms / 1000, 2);
  rows.push(
    [`8a audit export of ${n(x.events, 0)} events: exportBundle total (s)`, s2(e?.totalMs), `${s2(c?.ms)} (plain copy + fsync of the same ${n(c ? c.bytes / 2 ** 20 : undefined, 0)} MB)`,
      `×${n(x.ratios.exportVsCopy)}`, targetOf('export-vs-copy')],
    ['8a of which writing (s); read-back verification (s; events/s)', `${s2(e?.writeMs)}; ${s2(e?.readBackMs)} (${n(x.readBackEventsPerSec, 0)})`, 'same copy',
      `write alone ×${n(x.ratios.writeVsCopy)}`, ''],
    ['8a bundle (MB; MB/s); peak RSS of the export process (MB)', `${n(e ? e.bytes / 2 ** 20 : undefined, 0)}; ${n(x.mbPerSec.export, 0)}; ${n(e?.maxRssMb, 0)}`,
      `copy ${n(x.mbPerSec.copy, 0)} MB/s`, '', ''],
    x.stick.skipped
      ? ['8a onto a FAT32 stick (fusefat)', x.stick.skipped, '', '', '']
      : ['8a onto a FAT32 stick (fusefat): exportBundle total (s); of which writing', `${s2(x.stick.export.reported?.totalMs)}; ${s2(x.stick.export.reported?.writeMs)}`,
        `${s2(x.stick.copy.reported?.ms)} (plain copy + fsync onto the stick; ${n(x.stick.mbPerSec.copy, 0)} MB/s)`, `×${n(x.stick.ratios.exportVsCopy)}`, targetOf('export-vs-copy-stick')],
    [`8b verify.mjs <bundle> --json, its own process (s; events/s)`, `${s2(v?.ms)}; ${n(v?.eventsPerSec, 0)}`, '', '', targetOf('verify-rate')],
  );
}

console.log('| Figure | Ours | Baseline | Ratio | Target |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
