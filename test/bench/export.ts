// Benchmark 8, the audit export of a large store (1,000,000 events by default):
//   a. export: exportBundle() into a folder on the same disk, in a fresh process: total time, the write part
//      and the built-in read-back verification apart, and the bytes of the bundle;
//   b. verify: `node <bundle>/verify.mjs <bundle> --json` as its own process, as the auditor runs it;
//   c. baseline: a plain copy of the bundle's files (copyFileSync, fsync of each copy and of the folder),
//      the same bytes written to the same disk, in a fresh process.
// Each round runs a, b and c in turn, three rounds; the median run of each is reported, all runs are kept.
//   d. the same export and copy onto a FAT stick, which is where the kiosk exports: a FAT32 image mounted
//      through FUSE with fusefat (this kernel has no vfat), as root; the copy's source is a copy of the
//      bundle on the local disk (in the page cache), so that only the writing to the stick is compared.
// Each export records one ExportWritten event, so the second and third bundles hold one and two events more.
// Part of `npm run bench` (step 8, on the store benchmark 4 built). Alone (builds its own store):
//   node test/bench/export.ts            (npm run bench:export; BENCH_EXPORT_EVENTS overrides 1,000,000)
// prints progress on stderr and the JSON on stdout.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStore, type BuildResult } from './build-store.ts';
import type { CopyMeasurement, ExportMeasurement } from './export-child.ts';
import type { Runs } from './report.ts';
import { runJsonChild } from './spawn-json.ts';
import { perSecond, ratio, round } from './stats.ts';

const CHILD = join(import.meta.dirname, 'export-child.ts');
const TIMEOUT_MS = 15 * 60_000;

export interface ExportSettings {
  /** a store to export (benchmark 4's); without it one of `events` events is built under `workDir` */
  storeDir?: string;
  events: number;
  /** where the bundles and copies go (and the store, when built): the same disk as the store */
  workDir: string;
  runs?: number;
}

export interface VerifyMeasurement {
  events: number;
  /** the verify.mjs process from spawn to exit (node's start included) */
  ms: number;
  eventsPerSec: number;
  ok: boolean;
  checks: number;
}

export interface StickFigures {
  /** why the stick runs did not happen (not root, fusefat or mkfs.vfat missing), or null */
  skipped: string | null;
  /** the FAT32 image's size */
  imageMb: number;
  export: Runs<ExportMeasurement>;
  copy: Runs<CopyMeasurement>;
  ratios: { exportVsCopy: number | null; writeVsCopy: number | null };
  mbPerSec: { export: number | null; copy: number | null };
}

export interface ExportFigures {
  /** events in the store (the first round's bundle; the later rounds hold their predecessors' ExportWritten too) */
  events: number;
  /** the store this benchmark built (when run alone); null when it used benchmark 4's */
  build: BuildResult | null;
  export: Runs<ExportMeasurement>;
  verify: Runs<VerifyMeasurement>;
  copy: Runs<CopyMeasurement>;
  ratios: {
    /** exportBundle total ÷ plain copy of the same bytes (the target) */
    exportVsCopy: number | null;
    /** the writing part of the export alone (up to the read-back) ÷ the copy */
    writeVsCopy: number | null;
  };
  /** events/s of the in-process read-back verification of the median export run */
  readBackEventsPerSec: number | null;
  /** export MB/s (bundle bytes ÷ total time) and copy MB/s, of the median runs */
  mbPerSec: { export: number | null; copy: number | null };
  /** d: onto a FAT stick (fusefat) */
  stick: StickFigures;
  failures: string[];
}

function median<T>(runs: T[], key: (run: T) => number): T | null {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor((runs.length - 1) / 2)] ?? null;
}

interface VerifyJson {
  ok: boolean;
  count?: number;
  checks: unknown[];
  failures: string[];
}

export async function measureExport(settings: ExportSettings, log: (line: string) => void = () => {}): Promise<ExportFigures> {
  const times = settings.runs ?? 3;
  let build: BuildResult | null = null;
  let storeDir = settings.storeDir;
  if (!storeDir) {
    storeDir = join(settings.workDir, 'store');
    log(`  building a store of ${settings.events.toLocaleString('en-US')} events…`);
    build = buildStore(storeDir, settings.events, 10_000);
    log(`  built in ${(build.ms / 1000).toFixed(1)} s (${build.fileMb} MB)`);
  }
  const exports: ExportMeasurement[] = [];
  const verifies: VerifyMeasurement[] = [];
  const copies: CopyMeasurement[] = [];
  const failures: string[] = [];
  for (let i = 1; i <= times; i++) {
    const target = join(settings.workDir, `export-${i}`);
    const copyDir = join(settings.workDir, `copy-${i}`);
    mkdirSync(target, { recursive: true });
    try {
      const ex = await runJsonChild<ExportMeasurement>(CHILD, ['export', storeDir, target], TIMEOUT_MS);
      if (!ex.ok) {
        failures.push(`export run ${i}: ${ex.reason}`);
        continue;
      }
      const e = ex.value;
      exports.push(e);
      log(`  run ${i}: export ${(e.totalMs / 1000).toFixed(2)} s (write ${(e.writeMs / 1000).toFixed(2)} s, read-back ${(e.readBackMs / 1000).toFixed(2)} s), ${round(e.bytes / 2 ** 20, 1)} MB`);

      const ver = await runJsonChild<VerifyJson>(join(e.bundle, 'verify.mjs'), [e.bundle, '--json'], TIMEOUT_MS);
      if (ver.ok && ver.value.ok && ver.value.count === e.events) {
        verifies.push({ events: e.events, ms: round(ver.wallMs, 1), eventsPerSec: perSecond(e.events, ver.wallMs), ok: true, checks: ver.value.checks.length });
        log(`  run ${i}: verify.mjs ${(ver.wallMs / 1000).toFixed(2)} s, ${perSecond(e.events, ver.wallMs).toLocaleString('en-US')} events/s`);
      } else {
        failures.push(`verify run ${i}: ${ver.ok ? `not verified: ${ver.value.failures[0] ?? `count ${ver.value.count}`}` : ver.reason}`);
      }

      const cp = await runJsonChild<CopyMeasurement>(CHILD, ['copy', e.bundle, copyDir], TIMEOUT_MS);
      if (cp.ok) {
        copies.push(cp.value);
        log(`  run ${i}: plain copy + fsync ${(cp.value.ms / 1000).toFixed(2)} s`);
      } else failures.push(`copy run ${i}: ${cp.reason}`);
    } finally {
      rmSync(target, { recursive: true, force: true });
      rmSync(copyDir, { recursive: true, force: true });
    }
  }
  const e = median(exports, (r) => r.totalMs);
  const v = median(verifies, (r) => r.ms);
  const c = median(copies, (r) => r.ms);
  const stick = await measureOnStick(storeDir, settings.workDir, times, log, failures);
  return {
    events: exports[0]?.events ?? settings.events,
    build,
    export: { pick: 'median', reported: e, runs: exports },
    verify: { pick: 'median', reported: v, runs: verifies },
    copy: { pick: 'median', reported: c, runs: copies },
    ratios: { exportVsCopy: e && c ? ratio(e.totalMs, c.ms) : null, writeVsCopy: e && c ? ratio(e.writeMs, c.ms) : null },
    readBackEventsPerSec: e ? perSecond(e.events, e.readBackMs) : null,
    mbPerSec: { export: e ? mbps(e.bytes, e.totalMs) : null, copy: c ? mbps(c.bytes, c.ms) : null },
    stick,
    failures,
  };
}

const mbps = (bytes: number, ms: number) => round(bytes / 2 ** 20 / (ms / 1000), 1);

function which(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** d: each round exports onto a fresh FAT32 stick image, then copies the same files onto it. */
async function measureOnStick(storeDir: string, workDir: string, times: number, log: (line: string) => void, failures: string[]): Promise<StickFigures> {
  const imageMb = 4096;
  const missing = [process.getuid?.() !== 0 && 'root', !which('fusefat') && 'fusefat', !which('mkfs.vfat') && 'mkfs.vfat', !which('fusermount3') && 'fusermount3']
    .filter(Boolean);
  const none = { pick: 'median' as const, reported: null, runs: [] };
  if (missing.length > 0) {
    const skipped = `not measured: needs ${missing.join(', ')}`;
    log(`  FAT stick: ${skipped}`);
    return { skipped, imageMb, export: none, copy: none, ratios: { exportVsCopy: null, writeVsCopy: null }, mbPerSec: { export: null, copy: null } };
  }
  const exports: ExportMeasurement[] = [];
  const copies: CopyMeasurement[] = [];
  for (let i = 1; i <= times; i++) {
    const image = join(workDir, `stick-${i}.img`);
    const mnt = join(workDir, `stick-${i}`);
    const local = join(workDir, `stick-bundle-${i}`);
    writeFileSync(image, '');
    truncateSync(image, imageMb * 2 ** 20);
    mkdirSync(mnt);
    let mounted = false;
    try {
      const mkfs = spawnSync('mkfs.vfat', ['-F', '32', '-n', 'BENCH', image], { encoding: 'utf8' });
      if (mkfs.status !== 0) throw new Error(`mkfs.vfat: ${mkfs.stderr}`);
      const mount = spawnSync('fusefat', ['-o', 'rw+', image, mnt], { encoding: 'utf8' }); // (it daemonizes once mounted)
      if (mount.status !== 0) throw new Error(`fusefat: ${mount.stderr}`);
      mounted = true;
      const ex = await runJsonChild<ExportMeasurement>(CHILD, ['export', storeDir, mnt], TIMEOUT_MS);
      if (!ex.ok) {
        failures.push(`stick export run ${i}: ${ex.reason}`);
        continue;
      }
      const e = ex.value;
      exports.push(e);
      log(`  run ${i}: export onto the FAT stick ${(e.totalMs / 1000).toFixed(2)} s (write ${(e.writeMs / 1000).toFixed(2)} s, read-back ${(e.readBackMs / 1000).toFixed(2)} s)`);
      cpSync(e.bundle, local, { recursive: true });
      rmSync(e.bundle, { recursive: true, force: true });
      const cp = await runJsonChild<CopyMeasurement>(CHILD, ['copy', local, join(mnt, 'copy')], TIMEOUT_MS);
      if (cp.ok) {
        copies.push(cp.value);
        log(`  run ${i}: plain copy + fsync onto the FAT stick ${(cp.value.ms / 1000).toFixed(2)} s`);
      } else failures.push(`stick copy run ${i}: ${cp.reason}`);
    } catch (err) {
      failures.push(`stick run ${i}: ${(err as Error).message}`);
    } finally {
      if (mounted) spawnSync('fusermount3', ['-u', '-z', mnt], { stdio: 'ignore' });
      rmSync(local, { recursive: true, force: true });
      rmSync(mnt, { recursive: true, force: true });
      rmSync(image, { force: true });
    }
  }
  const e = median(exports, (r) => r.totalMs);
  const c = median(copies, (r) => r.ms);
  return {
    skipped: null,
    imageMb,
    export: { pick: 'median', reported: e, runs: exports },
    copy: { pick: 'median', reported: c, runs: copies },
    ratios: { exportVsCopy: e && c ? ratio(e.totalMs, c.ms) : null, writeVsCopy: e && c ? ratio(e.writeMs, c.ms) : null },
    mbPerSec: { export: e ? mbps(e.bytes, e.totalMs) : null, copy: c ? mbps(c.bytes, c.ms) : null },
  };
}

if (import.meta.main) {
  const raw = process.env.BENCH_EXPORT_EVENTS;
  const events = raw ? Number(raw.replace(/_/g, '')) : 1_000_000;
  if (!Number.isInteger(events) || events <= 0) throw new Error(`BENCH_EXPORT_EVENTS must be a positive whole number, not "${raw}".`);
  const workDir = mkdtempSync(join(tmpdir(), 'assettrack-bench-export-'));
  try {
    const figures = await measureExport({ events, workDir }, console.error);
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
