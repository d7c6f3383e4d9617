// Backup and restore of the whole store. A backup is SQLite's online backup of the live database, taken
// while the kiosk keeps working, made a single self-contained file, hashed and renamed into place. A
// restore checks the file (a database, intact, our schema, an unbroken chain, this device) and refuses to
// roll history back behind the last audit export unless forced with a recorded reason; the replaced
// database is kept aside and the restore itself is the first event after the restored head.
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { Appliance } from '../appliance.ts';
import type { Config } from '../config.ts';
import { DomainError, refuse } from '../domain/errors.ts';
import type { Actor, LastExport } from '../domain/types.ts';
import { DB_FILE, EventStore } from '../store/event-store.ts';
import { SCHEMA_VERSION } from '../store/schema.ts';
import { verifyChain } from '../store/verify-chain.ts';
import { MediaError, formatBytes, freeBytes, fsyncDir, mediaError, writeDurable } from './durable-files.ts';

export interface BackupResult {
  file: string;
  sha256: string;
  bytes: number;
  head: { seq: number; hash: string };
}

/** The pid file `serve` keeps in the data directory: a restore under a running kiosk is refused. */
export const SERVE_PID_FILE = 'serve.pid';

export function sha256OfFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * A consistent copy of the live store in `file` (plus `file.sha256`). The copy is one backup step, so it is
 * one read transaction: a writer in this or another process goes on, and the copy is the log as of one head.
 */
export async function backupDatabase(app: Appliance, file: string): Promise<BackupResult> {
  const partial = join(dirname(file), `.${basename(file)}.partial`);
  let stage = 'checking the free space';
  try {
    rmSync(partial, { force: true });
    // Refused before the copy: a full FAT stick answers the copy's writes with EPERM, which SQLite reports
    // as a plain I/O error, and that would read as a stick that was pulled.
    const free = freeBytes(dirname(file));
    const needed = (app.store.db.pragma('page_count', { simple: true }) as number) * (app.store.db.pragma('page_size', { simple: true }) as number) + 64 * 1024;
    if (free !== null && free < needed) {
      throw new MediaError('STICK_FULL', stage,
        `The USB stick has ${formatBytes(free)} free; the copy of the database needs about ${formatBytes(needed)}. Nothing was left on it: use a larger stick or free space on it.`);
    }
    stage = 'copying the database';
    // One step for all pages: stepping in pieces restarts whenever another connection writes, which a
    // busy kiosk beside a CLI could make endless.
    await app.store.db.backup(partial, { progress: () => 0x7fffffff });
    stage = 'checking the copy';
    const copy = new Database(partial);
    let head: { seq: number; hash: string };
    try {
      // The copy is ours alone: exclusive locking keeps SQLite from making a -shm file and mapping it into
      // memory, which a FUSE FAT stick (fusefat) refuses (SQLITE_IOERR_SHMOPEN) though it holds the file fine.
      copy.pragma('locking_mode = EXCLUSIVE');
      copy.pragma('journal_mode = DELETE'); // one self-contained file, no -wal beside it
      const ok = copy.pragma('quick_check', { simple: true });
      if (ok !== 'ok') throw new Error(`the copy fails SQLite's check: ${String(ok)}`);
      head = (copy.prepare('SELECT seq, hash FROM chain_head WHERE id = 1').get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: '' };
    } finally {
      copy.close();
    }
    stage = 'syncing the copy';
    const fd = openSync(partial, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const sha256 = sha256OfFile(partial);
    stage = 'naming the copy';
    renameSync(partial, file);
    rmSync(`${file}.sha256`, { force: true });
    writeDurable(`${file}.sha256`, `${sha256}  ${basename(file)}\n`);
    fsyncDir(dirname(file));
    return { file, sha256, bytes: statSync(file).size, head };
  } catch (err) {
    try { rmSync(partial, { force: true }); } catch { /* the stick is gone */ }
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_FULL') throw mediaError(Object.assign(new Error('full'), { code: 'ENOSPC' }), stage, dirname(file));
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') throw mediaError(Object.assign(new Error('read-only'), { code: 'EROFS' }), stage, dirname(file));
    if (code.startsWith('SQLITE_IOERR')) throw mediaError(Object.assign(new Error('I/O error'), { code: 'EIO' }), stage, dirname(file));
    throw mediaError(err, stage, dirname(file));
  }
}

export interface RestoreOptions {
  actorBadge?: string;
  /** the two-person rule's second admin (restore is one of its actions by default) */
  second?: { badge: string; pin: string };
  force?: boolean;
  reason?: string;
}

export interface RestoreResult {
  restored: true;
  file: string;
  sha256: string;
  backup_head: { seq: number; hash: string };
  replaced_head: { seq: number; hash: string } | null;
  previous_kept_at: string | null;
  forced: boolean;
  head: { seq: number; hash: string };
}

/** Replaces the store with a backup, or refuses (DomainError) and changes nothing. */
export function restoreDatabase(config: Config, file: string, opts: RestoreOptions = {}): RestoreResult {
  const dataDir = config.dataDir;
  const forced = opts.force === true;
  const reason = (opts.reason ?? '').trim();
  if (forced && !reason) refuse('REASON_REQUIRED', 'A forced restore needs --reason: it is recorded in the log.');
  refuseUnderRunningKiosk(dataDir);
  if (!existsSync(file) || !statSync(file).isFile()) refuse('NOT_A_BACKUP', `${file} does not exist or is not a file.`);
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try { readSync(fd, header, 0, 16, 0); } finally { closeSync(fd); }
  if (header.toString('latin1') !== 'SQLite format 3\0') refuse('NOT_A_DATABASE', `${file} is not an SQLite database, so it is not an AssetTrack backup.`);
  const sha256 = sha256OfFile(file);
  if (existsSync(`${file}.sha256`)) {
    const expected = readFileSync(`${file}.sha256`, 'utf8').trim().split(/\s+/)[0];
    if (expected !== sha256) refuse('BACKUP_CORRUPT', `${file} does not match its ${basename(file)}.sha256: the file was damaged or changed after the backup.`);
  }

  // Work on a copy in the data directory: the backup file itself is never modified.
  mkdirSync(dataDir, { recursive: true });
  const staged = join(dataDir, `.restore-${process.pid}.db`);
  copyFileSync(file, staged);
  let backupHead: { seq: number; hash: string };
  let backupDevice: string;
  let hashAt: (seq: number) => string | undefined;
  try {
    const db = new Database(staged);
    try {
      let check: unknown;
      try {
        check = db.pragma('integrity_check', { simple: true });
      } catch (err) {
        refuse('BACKUP_CORRUPT', `${file} is damaged: SQLite cannot read it (${(err as Error).message}).`);
      }
      if (check !== 'ok') refuse('BACKUP_CORRUPT', `${file} is damaged: SQLite's integrity check says "${String(check)}".`);
      const version = db.pragma('user_version', { simple: true }) as number;
      const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
      if (!tables.has('events') || !tables.has('chain_head') || !tables.has('store_meta') || version < 1) {
        refuse('NOT_A_BACKUP', `${file} is an SQLite database but not an AssetTrack store.`);
      }
      if (version > SCHEMA_VERSION) refuse('NEWER_SCHEMA', `${file} has schema version ${version}; this software knows up to ${SCHEMA_VERSION}. Upgrade the software first.`);
      backupDevice = (db.prepare("SELECT value FROM store_meta WHERE key = 'device_id'").get() as { value: string } | undefined)?.value ?? '';
      const chain = verifyChain({ db, deviceId: backupDevice });
      if (!chain.ok) refuse('CHAIN_BROKEN', `The backup's log does not verify: ${chain.message}`, { seq: chain.seq });
      backupHead = chain.head;
      const lookup = db.prepare('SELECT hash FROM events WHERE seq = ?');
      const hashes = new Map<number, string>();
      const current = currentStore(dataDir);
      const lastExport = current.lastExport;
      if (lastExport) hashes.set(lastExport.headSeq, (lookup.get(lastExport.headSeq) as { hash: string } | undefined)?.hash ?? '');
      hashAt = (seq) => hashes.get(seq);
      db.pragma('journal_mode = DELETE');
      db.exec('DELETE FROM sessions'); // sign-in tokens of the backup's time must not come back to life
      db.close();

      if (current.deviceId && current.deviceId !== backupDevice && !forced) {
        refuse('OTHER_DEVICE', `This backup is from device ${backupDevice}; this box is ${current.deviceId}. Restore it only with --force --reason.`);
      }
      if (lastExport) {
        const behind = backupHead.seq < lastExport.headSeq || hashAt(lastExport.headSeq) !== lastExport.headHash;
        if (behind && !forced) {
          refuse('ROLLBACK_BEHIND_EXPORT',
            `The backup ends at event ${backupHead.seq}, but the last audit export (${lastExport.bundle}) already holds the log up to event ${lastExport.headSeq}` +
            `${backupHead.seq >= lastExport.headSeq ? ' and the backup\'s history differs from it' : ''}. Restoring it would silently roll history back; ` +
            'if that is really intended, use --force --reason "…" (the reason is recorded).',
            { backup_head_seq: backupHead.seq, last_export_seq: lastExport.headSeq });
        }
      }
      return swapIn(config, { file, sha256, staged, backupHead, current, forced, reason, actorBadge: opts.actorBadge, second: opts.second });
    } finally {
      if (db.open) db.close();
    }
  } finally {
    rmSync(staged, { force: true });
  }
}

interface CurrentStore {
  exists: boolean;
  deviceId: string;
  head: { seq: number; hash: string } | null;
  lastExport: LastExport | null;
}

/** What the store being replaced knows: read from it if it opens, else from last-export.json. */
function currentStore(dataDir: string): CurrentStore {
  const path = join(dataDir, DB_FILE);
  let fromSidecar: LastExport | null = null;
  try {
    fromSidecar = JSON.parse(readFileSync(join(dataDir, 'last-export.json'), 'utf8')) as LastExport;
  } catch { /* no export yet, or the file is gone */ }
  if (!existsSync(path)) return { exists: false, deviceId: '', head: null, lastExport: fromSidecar };
  try {
    const store = EventStore.open(dataDir);
    try {
      store.db.pragma('wal_checkpoint(TRUNCATE)'); // the -wal folded in, so the file kept aside is whole
      const state = store.loadState();
      const head = store.head();
      const last = [state.lastExport, fromSidecar].filter((x): x is LastExport => !!x).sort((a, b) => b.headSeq - a.headSeq)[0] ?? null;
      return { exists: true, deviceId: store.deviceId, head: head.seq > 0 ? head : null, lastExport: last };
    } finally {
      store.close();
    }
  } catch {
    return { exists: true, deviceId: '', head: null, lastExport: fromSidecar };
  }
}

function swapIn(config: Config, r: {
  file: string; sha256: string; staged: string; backupHead: { seq: number; hash: string }; current: CurrentStore; forced: boolean; reason: string; actorBadge?: string;
  second?: { badge: string; pin: string };
}): RestoreResult {
  const dataDir = config.dataDir;
  const live = join(dataDir, DB_FILE);
  let keptAt: string | null = null;
  if (r.current.exists) {
    const aside = join(dataDir, 'replaced');
    mkdirSync(aside, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    keptAt = join(aside, `assettrack-${stamp}.db`);
    for (let n = 2; existsSync(keptAt); n++) keptAt = join(aside, `assettrack-${stamp}-${n}.db`); // never overwrite a kept store
    renameSync(live, keptAt);
    for (const suffix of ['-wal', '-shm']) if (existsSync(live + suffix)) renameSync(live + suffix, keptAt + suffix);
  }
  renameSync(r.staged, live);
  fsyncDir(dataDir);
  const app = Appliance.open(config);
  try {
    // A backup's projections were consistent with its log when it was taken; check, and repair if not.
    const replayed = app.store.replay();
    if (app.store.diffProjections(replayed).length > 0) app.rewriteProjections(replayed);
    let actor: Actor = { kind: 'console' };
    if (r.actorBadge) actor = app.operatorByBadge(r.actorBadge);
    const lastExport = r.current.lastExport ? { seq: r.current.lastExport.headSeq, hash: r.current.lastExport.headHash } : null;
    const outcome = app.execute({
      type: 'RecordRestore', file: r.file, sha256: r.sha256, backupHead: r.backupHead, replacedHead: r.current.head,
      previousKeptAt: keptAt, lastExport, forced: r.forced, reason: r.reason,
    }, { actor, source: 'console', second: r.second }, () => null);
    if (!outcome.ok) throw outcome.error;
    return {
      restored: true, file: r.file, sha256: r.sha256, backup_head: r.backupHead, replaced_head: r.current.head, previous_kept_at: keptAt,
      forced: r.forced, head: app.store.head(),
    };
  } catch (err) {
    // Put the replaced store back: a restore that could not record itself did not happen.
    app.close();
    rmSync(live, { force: true });
    if (keptAt) {
      renameSync(keptAt, live);
      for (const suffix of ['-wal', '-shm']) if (existsSync(keptAt + suffix)) renameSync(keptAt + suffix, live + suffix);
    }
    throw err;
  } finally {
    if (app.store.db.open) app.close();
  }
}

function refuseUnderRunningKiosk(dataDir: string): void {
  const pidFile = join(dataDir, SERVE_PID_FILE);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // a pid file left by a kiosk that died: not running
  }
  throw new DomainError('KIOSK_RUNNING', `The kiosk (pid ${pid}) is using this store. Stop it first (systemctl stop assettrack), then restore.`);
}
