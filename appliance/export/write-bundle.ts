// The quarterly audit export: the whole event log and a summary, signed by the device key, written into a
// folder (a USB stick's mount point, or any directory) so that a pulled stick never leaves a bundle that
// looks complete:
//   1. everything goes into .AssetTrack-<device>-<time>.partial/, each file fsynced as it is closed;
//   2. the manifest (SHA-256 of every file) is signed and fsynced, then the folder itself;
//   3. the folder is renamed to its final name and the parent fsynced;
//   4. the bundle is read back from the stick and verified by the same verify.mjs the auditor runs;
//   5. only then ExportWritten is recorded. Any failure records ExportFailed with the reason and removes
//      what it can of the partial folder.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Appliance } from '../appliance.ts';
import { SOFTWARE_VERSION } from '../config.ts';
import { DomainError, refuse } from '../domain/errors.ts';
import type { Actor, CageState, JsonObject, LastExport, RecordedEvent, Source } from '../domain/types.ts';
import { receiptHtml, type TermsVersion } from '../receipts/receipt-html.ts';
import { RECEIPT_TYPE, termsVersion } from '../receipts/receipt-records.ts';
import { PUBLIC_KEY_FILE, ensureDeviceKey, signWithDeviceKey } from '../secrets.ts';
import { backupDatabase, type BackupResult } from './backup.ts';
import { EVENT_COLUMNS, holdingsCsv, ndjsonLine, readmeText, type EventRow } from './bundle-files.ts';
import { DurableFile, MediaError, formatBytes, freeBytes, fsyncDir, mediaError, writeDurable } from './durable-files.ts';
import type { CsvWorkerInput, CsvWorkerResult } from './events-csv-worker.ts';
import { reportHtml } from './report-html.ts';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, EVENT_FORMAT_VERSION, verifyBundle, type BundleReport } from './verify.mjs';

export const VERIFIER_SOURCE = new URL('./verify.mjs', import.meta.url);
/** Where the data directory remembers the last export's head, for a restore when the store itself is unreadable. */
export const LAST_EXPORT_FILE = 'last-export.json';
const CHUNK = 5000;
const TIMELINE_LENGTH = 200;
const CUSTODY_TYPES = ['AssetRegistered', 'AssetIssued', 'AssetReturned', 'AssetMoved', 'AssetMarkedMissing', 'AssetFound', 'ConditionChanged',
  'AssetRetired', 'SweepCompleted', 'EventCorrected', 'HolderRegistered', 'HolderDeactivated', 'OperatorRegistered', 'ExportWritten', 'StoreRestored'];

export interface ExportProgress {
  stage: 'events' | 'files' | 'backup' | 'verifying';
  done: number;
  total: number;
}

export interface ExportOptions {
  actor: Actor;
  source: Source;
  /** also put a consistent copy of the database beside the bundle */
  backup?: boolean;
  overdueDays?: number;
  onProgress?: (p: ExportProgress) => void;
}

export interface ExportResult {
  bundle: string;
  name: string;
  count: number;
  head: { seq: number; hash: string };
  manifestSha256: string;
  bytes: number;
  backup: BackupResult | null;
  report: BundleReport;
  /** the ExportWritten event */
  seq: number;
}

/** `AssetTrack-<device>-20261201T083012Z`: no colons (FAT), sorts by time. */
export function bundleName(deviceId: string, at: Date): string {
  return `AssetTrack-${deviceId}-${at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}`;
}

/** Writes, reads back and verifies a bundle in `targetDir`; records ExportWritten or ExportFailed. Throws MediaError. */
export async function exportBundle(app: Appliance, targetDir: string, opts: ExportOptions): Promise<ExportResult> {
  const at = app.now();
  const deviceId = app.store.deviceId;
  let name = bundleName(deviceId, at);
  // Also past a partial folder another export left (a stick pulled mid-write): it is not ours to reuse or remove.
  for (let n = 2; existsSync(join(targetDir, name)) || existsSync(join(targetDir, `.${name}.partial`)); n++) name = `${bundleName(deviceId, at)}-${n}`;
  const partial = join(targetDir, `.${name}.partial`);
  const final = join(targetDir, name);
  let stage = 'preparing';
  let backup: BackupResult | null = null;
  let named = false; // the final-named folder exists (it did not before: the name was chosen free above)
  refuseUnlessAdmin(app, opts.actor);
  try {
    if (!existsSync(targetDir) || !statSync(targetDir).isDirectory()) {
      throw new MediaError('TARGET_MISSING', stage, `${targetDir} is not a folder (was the stick removed?).`);
    }
    // The snapshot: everything about the cage is taken at one head, before the first await.
    const state = structuredClone(app.state()) as CageState;
    const head = { seq: state.seq, hash: app.store.event(state.seq)!.hash };
    const previous = state.lastExport;
    const timeline = latestCustodyEvents(app, head.seq);
    const key = ensureDeviceKey(app.config.dataDir);
    checkRoom(app, targetDir, head.seq, previous?.headSeq ?? 0, opts.backup === true);

    stage = 'creating the bundle folder';
    mkdirSync(partial);
    const files: Record<string, { sha256: string; bytes: number }> = {};
    stage = 'writing the events';
    // The quarter's hand receipts: every one after the previous export's head (all of them the first time).
    const { countsByType, first, receipts } = await writeEvents(app, partial, head.seq, previous?.headSeq ?? 0, files,
      (done) => opts.onProgress?.({ stage: 'events', done, total: head.seq }));

    stage = 'writing the summary files';
    opts.onProgress?.({ stage: 'files', done: 0, total: 5 });
    files['holdings.csv'] = writeDurable(join(partial, 'holdings.csv'), holdingsCsv(state));
    files['report.html'] = writeDurable(join(partial, 'report.html'), reportHtml({
      state, deviceId, createdAt: at.toISOString(), head, fingerprint: key.fingerprint, countsByType, timeline,
      overdueDays: opts.overdueDays ?? 14, previous: previous ? { seq: previous.headSeq, hash: previous.headHash } : null,
    }));
    files[PUBLIC_KEY_FILE] = writeDurable(join(partial, PUBLIC_KEY_FILE), key.publicKeyPem);
    files['verify.mjs'] = writeDurable(join(partial, 'verify.mjs'), readFileSync(VERIFIER_SOURCE, 'utf8'));
    stage = 'writing the receipts';
    await writeReceipts(app, partial, receipts, files);
    files['README.txt'] = writeDurable(join(partial, 'README.txt'), readmeText({
      deviceId, fingerprint: key.fingerprint, count: head.seq, headSeq: head.seq, headHash: head.hash, createdAt: at.toISOString(),
      previous: previous ? { seq: previous.headSeq, hash: previous.headHash } : null,
    }));

    stage = 'signing the manifest';
    const manifest = {
      format: BUNDLE_FORMAT, format_version: BUNDLE_FORMAT_VERSION, event_format_version: EVENT_FORMAT_VERSION,
      device_id: deviceId, software_version: SOFTWARE_VERSION, created_at: at.toISOString(), key_fingerprint: key.fingerprint,
      events: { first_seq: first?.seq ?? 0, last_seq: head.seq, count: head.seq, first_hash: first?.hash ?? null, last_hash: head.seq ? head.hash : null },
      head,
      previous_export: previous ? previousLink(previous) : null,
      counts_by_type: Object.fromEntries(Object.entries(countsByType).sort(([a], [b]) => (a < b ? -1 : 1))),
      files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    const manifestFile = writeDurable(join(partial, 'manifest.json'), manifestText);
    writeDurable(join(partial, 'manifest.sig'), `${signWithDeviceKey(app.config.dataDir, Buffer.from(manifestText, 'utf8'))}\n`);
    fsyncDir(partial);

    if (opts.backup) {
      stage = 'writing the database backup';
      opts.onProgress?.({ stage: 'backup', done: 0, total: 1 });
      backup = await backupDatabase(app, join(targetDir, `${name}.backup.db`));
    }

    stage = 'naming the bundle';
    named = true;
    publish(partial, final);
    fsyncDir(targetDir);

    stage = 'reading the bundle back from the stick';
    opts.onProgress?.({ stage: 'verifying', done: 0, total: head.seq });
    // Two worker threads at most: on a four-core Pi the kiosk keeps two cores while it reads back.
    const report = await verifyBundle(final, { maxThreads: 2 });
    if (!report.ok) {
      removeQuietly(final);
      if (backup) removeQuietly(backup.file);
      backup = null;
      throw new MediaError('VERIFY_FAILED', stage, `The bundle read back from the stick does not verify (${report.failures[0]}); it was removed. Try another stick.`);
    }
    const bytes = Object.values(files).reduce((n, f) => n + f.bytes, 0) + manifestFile.bytes;
    const outcome = app.execute({
      type: 'RecordExport', bundle: name, target: targetDir, manifestSha256: manifestFile.sha256, count: head.seq, headSeq: head.seq,
      headHash: head.hash, bytes, previous: previous ? { seq: previous.headSeq, hash: previous.headHash } : null,
      backup: backup ? { file: backup.file, sha256: backup.sha256, headSeq: backup.head.seq } : null,
    }, { actor: opts.actor, source: opts.source }, (events) => events[0]!.seq);
    if (!outcome.ok) throw outcome.error;
    rememberLastExport(app, { seq: outcome.response, at: at.toISOString(), bundle: name, headSeq: head.seq, headHash: head.hash, manifestSha256: manifestFile.sha256 });
    return { bundle: final, name, count: head.seq, head, manifestSha256: manifestFile.sha256, bytes, backup, report, seq: outcome.response };
  } catch (err) {
    if (err instanceof DomainError || (!(err instanceof MediaError) && !(err as NodeJS.ErrnoException).code)) throw err; // a refusal or a bug, not the stick
    const failure = mediaError(err, stage, targetDir);
    removeQuietly(partial);
    if (named) removeQuietly(final);
    if (backup) removeQuietly(backup.file);
    app.execute({ type: 'RecordExportFailed', bundle: name, target: targetDir, stage: failure.stage, code: failure.code, reason: failure.message },
      { actor: opts.actor, source: opts.source }, () => null);
    throw failure;
  }
}

/** Only an admin (or a shell on the box) exports; refused before anything is written. */
function refuseUnlessAdmin(app: Appliance, actor: Actor): void {
  if (actor.kind === 'console') return;
  const op = actor.kind === 'operator' ? app.state().operators.get(actor.id) : undefined;
  if (!op || !op.active) refuse('OPERATOR_REQUIRED', 'An admin must be signed in to export the log.');
  if (op.role !== 'admin') refuse('ADMIN_REQUIRED', 'Only an admin can export the log.');
}

function previousLink(p: LastExport) {
  return { seq: p.headSeq, hash: p.headHash, manifest_sha256: p.manifestSha256, bundle: p.bundle, exported_at: p.at };
}

/**
 * events.ndjson here, in chunks, yielding to the kiosk between them, and events.csv meanwhile in a worker
 * thread (events-csv-worker.ts); on the way, the HandReceiptSigned events after `receiptsAfter` (the
 * quarter's receipts).
 */
async function writeEvents(app: Appliance, dir: string, headSeq: number, receiptsAfter: number, files: Record<string, { sha256: string; bytes: number }>,
  progress: (done: number) => void): Promise<{ countsByType: Record<string, number>; first: { seq: number; hash: string } | null; receipts: EventRow[] }> {
  const ndjson = new DurableFile(join(dir, 'events.ndjson'));
  const csv = startCsvWorker({ dbPath: app.store.path, file: join(dir, 'events.csv'), headSeq, stop: new Int32Array(new SharedArrayBuffer(4)) });
  const countsByType: Record<string, number> = {};
  const receipts: EventRow[] = [];
  let first: { seq: number; hash: string } | null = null;
  try {
    const stmt = app.store.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ${CHUNK}`).raw(true);
    let yielded = performance.now();
    for (let last = 0; last < headSeq;) {
      const rows = stmt.all(last, headSeq) as EventRow[];
      if (rows.length === 0) break;
      // Line by line into each file's buffer: joining 5000 lines into one string first costs more than
      // making the lines (the joined string has to be flattened before it is encoded).
      csv.throwIfFailed();
      for (const r of rows) {
        ndjson.write(ndjsonLine(r));
        countsByType[r[2]] = (countsByType[r[2]] ?? 0) + 1;
        if (r[2] === RECEIPT_TYPE && r[0] > receiptsAfter) receipts.push(r);
      }
      first ??= { seq: rows[0]![0], hash: rows[0]![11] };
      last = rows[rows.length - 1]![0];
      progress(last);
      // Let the kiosk answer taps and scans while a large log is written (every ~50 ms of work).
      if (performance.now() - yielded > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
    }
    files['events.ndjson'] = ndjson.close();
    files['events.csv'] = await csv.done();
  } catch (err) {
    ndjson.abandon();
    await csv.stop();
    throw err;
  }
  return { countsByType, first, receipts };
}

/**
 * events.csv written by a worker thread. Its failure (the stick full or gone) comes back as an error with
 * the kernel's code, so that it is reported like one of this thread's; stop() ends it when the export
 * failed here, and waits until its file is closed.
 */
function startCsvWorker(input: CsvWorkerInput) {
  const worker = new Worker(new URL('./events-csv-worker.ts', import.meta.url), {
    workerData: input,
    resourceLimits: { maxYoungGenerationSizeMb: 8 }, // a small heap: it runs in the kiosk's process
  });
  let failure: Error | null = null;
  const result = new Promise<{ sha256: string; bytes: number }>((resolve, reject) => {
    worker.once('message', (r: CsvWorkerResult) => {
      if (r.ok) resolve({ sha256: r.sha256, bytes: r.bytes });
      else reject(Object.assign(new Error(r.message), { code: r.code || undefined }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the events.csv writer stopped (exit code ${code})`))); // (after a message: no effect)
  });
  result.catch((err: Error) => { failure = err; });
  return {
    throwIfFailed: () => { if (failure) throw failure; },
    done: () => result,
    stop: async () => {
      Atomics.store(input.stop, 0, 1);
      await result.catch(() => {});
    },
  };
}

/**
 * receipts/receipt-<seq>.html for each receipt: the printable page (receipt-html.ts, as the kiosk prints it)
 * with the exact event data embedded, which verify.mjs matches to the event at that seq.
 */
async function writeReceipts(app: Appliance, dir: string, receipts: EventRow[], files: Record<string, { sha256: string; bytes: number }>): Promise<void> {
  if (receipts.length === 0) return;
  mkdirSync(join(dir, 'receipts'));
  const terms = new Map<number, TermsVersion | null>();
  let yielded = performance.now();
  for (const r of receipts) {
    const data = JSON.parse(r[4]) as JsonObject;
    const t = data.terms;
    const version = t && typeof t === 'object' && !Array.isArray(t) && typeof t.version === 'number' ? t.version : null;
    if (version !== null && !terms.has(version)) terms.set(version, termsVersion(app.store, version));
    const name = `receipts/receipt-${r[0]}.html`;
    files[name] = writeDurable(join(dir, name), await receiptHtml({
      deviceId: app.store.deviceId, receipt: { seq: r[0], data }, terms: version === null ? null : terms.get(version) ?? null,
    }));
    if (performance.now() - yielded > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = performance.now();
    }
  }
  fsyncDir(join(dir, 'receipts'));
}

/** statfs type of every FUSE file system (fuse and fuseblk alike). */
const FUSE_SUPER_MAGIC = 0x65735546;

/**
 * Gives the finished folder its final name. On a kernel file system (vfat, ext4) that is one rename, so the
 * final name appears with everything in it. A FUSE driver is not trusted with that: fusefat renames a
 * folder that has files in it as a new empty folder (the files are lost). There the final folder is made
 * and the files are moved into it one by one, manifest.json and then manifest.sig last, so a stick pulled
 * in between leaves a folder without a signature, which does not verify, never one that looks complete.
 */
function publish(partial: string, final: string): void {
  let fuse = false;
  try {
    fuse = statfsSync(partial).type === FUSE_SUPER_MAGIC;
  } catch { /* the rename below will say what is wrong */ }
  if (!fuse) {
    renameSync(partial, final);
    return;
  }
  const last = ['manifest.json', 'manifest.sig'];
  const names = readdirSync(partial).filter((n) => !last.includes(n));
  mkdirSync(final);
  for (const n of names) {
    // A folder (receipts/) is not renamed whole either: made anew and filled file by file.
    if (statSync(join(partial, n)).isDirectory()) {
      mkdirSync(join(final, n));
      for (const f of readdirSync(join(partial, n))) renameSync(join(partial, n, f), join(final, n, f));
      fsyncDir(join(final, n));
      rmdirSync(join(partial, n));
    } else renameSync(join(partial, n), join(final, n));
  }
  fsyncDir(final);
  for (const n of last) renameSync(join(partial, n), join(final, n));
  fsyncDir(final);
  rmdirSync(partial);
}

function latestCustodyEvents(app: Appliance, headSeq: number): RecordedEvent[] {
  const marks = CUSTODY_TYPES.map(() => '?').join(',');
  const rows = app.store.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq <= ? AND type IN (${marks}) ORDER BY seq DESC LIMIT ${TIMELINE_LENGTH}`)
    .all(headSeq, ...CUSTODY_TYPES) as Record<string, unknown>[];
  return rows.map((r) => ({ ...r, data: JSON.parse(String(r.data)) }) as RecordedEvent);
}

/** Events whose data sizes the free-space check reads (all of them in a smaller log). */
const ROOM_SAMPLE = 4096;

/**
 * Refuses before writing anything when the stick clearly cannot hold the bundle. A large log is not read
 * whole for this (a scan of a million rows took 0.3 to 0.5 s, all of it before the first byte is written):
 * its data size and its receipts are estimated from evenly spaced events. A stick that still fills up is
 * caught as it is written (STICK_FULL, nothing left).
 */
function checkRoom(app: Appliance, targetDir: string, headSeq: number, receiptsAfter: number, withBackup: boolean): void {
  const free = freeBytes(targetDir);
  if (free === null) return;
  const sample = app.store.db.prepare(`SELECT length(data) AS data, type = '${RECEIPT_TYPE}' AND seq > ? AS receipt FROM events WHERE seq = ?`);
  const step = Math.max(1, headSeq / ROOM_SAMPLE);
  let data = 0;
  let receipts = 0;
  let taken = 0;
  for (let at = 1; at <= headSeq; at += step) {
    const row = sample.get(receiptsAfter, Math.floor(at)) as { data: number; receipt: number } | undefined;
    if (!row) continue;
    data += row.data;
    receipts += row.receipt;
    taken += 1;
  }
  const scale = taken ? headSeq / taken : 0;
  data *= scale;
  receipts *= scale;
  // events.ndjson ≈ data + 330 bytes an event, events.csv about the same; a receipt page ≈ its data twice
  // (embedded, and drawn) plus the terms text, the QR code and the style: 48 KiB covers it; the rest is small.
  // Measured on the benchmark's scan-heavy log of a million events: 1,082 bytes an event in all, of which
  // 149 of data; 900 a row puts the estimate about 12 % above that.
  // A backup beside the bundle is the database file's size.
  const backup = withBackup ? Number(app.store.db.pragma('page_count', { simple: true })) * Number(app.store.db.pragma('page_size', { simple: true })) : 0;
  const needed = Math.ceil(2.1 * data + 900 * headSeq + 48 * 1024 * receipts + 256 * 1024 + backup);
  if (free < needed) {
    throw new MediaError('STICK_FULL', 'checking the free space',
      `The USB stick has ${formatBytes(free)} free; this export needs about ${formatBytes(needed)}. Nothing was written: use a larger stick or free space on it.`);
  }
}

function rememberLastExport(app: Appliance, last: LastExport): void {
  try {
    writeFileSync(join(app.config.dataDir, LAST_EXPORT_FILE), `${JSON.stringify(last)}\n`, { mode: 0o644 });
  } catch (err) {
    console.error(`Could not note the last export in ${app.config.dataDir}: ${(err as Error).message}`);
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch { /* the stick is gone: nothing on it can be removed, and nothing final-named was left */ }
}
