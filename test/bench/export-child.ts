// Benchmark 8's measurements that run in a fresh process (started by test/bench/export.ts through
// spawn-json.ts, like benchmark 4's child.ts), so that neither the time nor the peak RSS carries the big
// parent that built the store. Prints one JSON line on stdout.
//   node test/bench/export-child.ts export DATA_DIR TARGET_DIR   exportBundle(app, TARGET_DIR, console actor)
//   node test/bench/export-child.ts copy BUNDLE_DIR COPY_DIR      the baseline: copy the bundle's files + fsync
// Modules are imported inside each mode: the copy process loads no appliance code.
import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, readSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { maxRssMb, round, vmHwmMb } from './stats.ts';

export interface ExportMeasurement {
  /** events in the bundle (the log's head when the export started) */
  events: number;
  /** exportBundle() from the call to its return: snapshot, write + fsync, rename, read-back verify, ExportWritten */
  totalMs: number;
  /** call → the start of the read-back ("verifying"): everything that writes the bundle */
  writeMs: number;
  /** of which: call → events.ndjson and events.csv closed (fsynced); includes the snapshot taken before */
  eventsMs: number;
  /** "verifying" → return: verifyBundle() of the renamed bundle in this process, then the ExportWritten commit */
  readBackMs: number;
  /** Appliance.open before the call (not in totalMs) */
  openMs: number;
  /** the sum of the sizes of every file in the bundle folder (manifest.json and manifest.sig included) */
  bytes: number;
  files: Record<string, number>;
  bundle: string;
  verified: boolean;
  maxRssMb: number;
  vmHwmMb: number | null;
}

export interface CopyMeasurement {
  bytes: number;
  files: number;
  /** mkdir, copyFileSync of every file, fsync of every copy, fsync of the folder */
  ms: number;
  /** copyFileSync (the kernel copies), or read/write in 1 MB pieces where the file system has no copy (fusefat: ENOSYS) */
  method: 'copyFileSync' | 'read/write';
  maxRssMb: number;
  vmHwmMb: number | null;
}

/** Every file in a folder (one level: a bundle has no sub-folders unless receipts/ is present) with its size. */
function filesOf(dir: string, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, filesOf(dir, name));
    else out[name] = statSync(join(dir, name)).size;
  }
  return out;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function exportMode(dataDir: string, targetDir: string): Promise<ExportMeasurement> {
  const [{ Appliance }, { loadConfig }, { exportBundle }] = await Promise.all([
    import('../../appliance/appliance.ts'), import('../../appliance/config.ts'), import('../../appliance/export/write-bundle.ts'),
  ]);
  const o0 = performance.now();
  const app = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: dataDir }));
  const openMs = performance.now() - o0;
  let filesAt = Number.NaN;
  let verifyingAt = Number.NaN;
  try {
    const t0 = performance.now();
    const result = await exportBundle(app, targetDir, {
      actor: { kind: 'console' }, source: 'console',
      onProgress: (p) => {
        if (p.stage === 'files' && Number.isNaN(filesAt)) filesAt = performance.now();
        if (p.stage === 'verifying' && Number.isNaN(verifyingAt)) verifyingAt = performance.now();
      },
    });
    const t1 = performance.now();
    const files = filesOf(result.bundle);
    return {
      events: result.count, totalMs: round(t1 - t0, 1), writeMs: round(verifyingAt - t0, 1), eventsMs: round(filesAt - t0, 1),
      readBackMs: round(t1 - verifyingAt, 1), openMs: round(openMs, 1),
      bytes: Object.values(files).reduce((n, b) => n + b, 0), files, bundle: result.bundle, verified: result.report.ok,
      maxRssMb: maxRssMb(), vmHwmMb: vmHwmMb(),
    };
  } finally {
    app.close();
  }
}

/** The baseline: the same bytes written by a plain copy, each copy fsynced as the export fsyncs its files. */
function copyMode(bundleDir: string, copyDir: string): CopyMeasurement {
  const files = filesOf(bundleDir);
  let method: CopyMeasurement['method'] = 'copyFileSync';
  const t0 = performance.now();
  mkdirSync(copyDir);
  for (const name of Object.keys(files)) {
    const to = join(copyDir, name);
    if (name.includes('/')) mkdirSync(join(to, '..'), { recursive: true });
    if (method === 'copyFileSync') {
      try {
        copyFileSync(join(bundleDir, name), to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSYS') throw err;
        method = 'read/write';
      }
    }
    if (method === 'read/write') copyByHand(join(bundleDir, name), to);
    fsyncPath(to);
  }
  fsyncPath(copyDir);
  const ms = performance.now() - t0;
  return { bytes: Object.values(files).reduce((n, b) => n + b, 0), files: Object.keys(files).length, ms: round(ms, 1), method, maxRssMb: maxRssMb(), vmHwmMb: vmHwmMb() };
}

/** What cp does where the kernel cannot copy: read and write in large pieces. */
function copyByHand(from: string, to: string): void {
  const src = openSync(from, 'r');
  const dst = openSync(to, 'w');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(src, buf, 0, buf.length, null); n > 0; n = readSync(src, buf, 0, buf.length, null)) {
      for (let off = 0; off < n;) off += writeSync(dst, buf, off, n - off);
    }
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}

const MODES: Record<string, (a: string, b: string) => Promise<unknown> | unknown> = { export: exportMode, copy: copyMode };

if (import.meta.main) {
  const [mode = '', a = '', b = ''] = process.argv.slice(2);
  const run = MODES[mode];
  if (!run || !a || !b) {
    console.error('usage: node test/bench/export-child.ts export DATA_DIR TARGET_DIR | copy BUNDLE_DIR COPY_DIR');
    process.exit(2);
  }
  console.log(JSON.stringify(await run(a, b)));
}
