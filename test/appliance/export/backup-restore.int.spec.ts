// Backup while the kiosk works, and restore with its refusals. The backup is taken while another process
// appends (scan-writer.ts, one committed scan after another): it must be the log as of one head, whole and
// chained, a prefix of what the writer went on to write. The restore refusals run through the CLI as an
// operator would run them (real processes), and each must leave the live store exactly as it was.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, type BackupResult } from '../../../appliance/export/backup.ts';
import { DB_FILE } from '../../../appliance/store/event-store.ts';
import { verifyChain } from '../../../appliance/store/verify-chain.ts';
import { tempDir } from '../../support/cage.ts';
import { MAIN, cli, makeStore, openApp } from './export-support.ts';

const WRITER = fileURLToPath(new URL('./scan-writer.ts', import.meta.url));
let root: string;
const sleepers: ReturnType<typeof spawn>[] = [];

beforeAll(() => {
  root = tempDir('backup-restore-');
});
afterEach(() => {
  for (const child of sleepers.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function liveHead(dataDir: string): { seq: number; hash: string } {
  const app = openApp(dataDir);
  try {
    return app.store.head();
  } finally {
    app.close();
  }
}

/** seq → hash of every event of a database file, oldest first. */
function hashes(db: Database.Database, upTo = Number.MAX_SAFE_INTEGER): [number, string][] {
  return (db.prepare('SELECT seq, hash FROM events WHERE seq <= ? ORDER BY seq').raw(true).all(upTo) as [number, string][]);
}

/** A CLI process that runs while this one keeps reading the writer's output. */
function cliAsync(dataDir: string, args: string[]): Promise<{ code: number | null; body: any }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args, '--json'], { env: { ...process.env, ASSETTRACK_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve({ code, body: JSON.parse(out) });
      } catch {
        reject(new Error(`assettrack ${args.join(' ')}: ${out}${err}`));
      }
    });
  });
}

describe('a backup taken while another process writes', () => {
  it('is the log as of one head: it opens, passes integrity_check, its chain verifies, and it is a prefix of the live log', async () => {
    const dataDir = join(root, 'busy');
    makeStore(dataDir, 'BUSY-1', 2000);
    const app = openApp(dataDir);
    const acks: number[] = [];
    let finalHead = 0;
    let stderr = '';
    const writer = spawn(process.execPath, [WRITER, dataDir, '2000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const finished = new Promise<void>((resolve, reject) => {
      let buffer = '';
      writer.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));
          if (line.startsWith('done ')) finalHead = Number(line.slice(5));
        }
      });
      writer.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      writer.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${stderr}`))));
    });
    try {
      await expect.poll(() => acks.length, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(20);
      // In this process, with the writer going on in its own.
      const ackedBeforeFirst = acks.at(-1)!;
      const first = await backupDatabase(app, join(root, 'during-1.db'));
      const acksAfterFirst = acks.length;
      // And by `assettrack backup`, a third process, also while the writer writes.
      await expect.poll(() => acks.length, { timeout: 10_000, interval: 10 }).toBeGreaterThan(acksAfterFirst + 20);
      const ackedBeforeSecond = acks.at(-1)!;
      const second = await cliAsync(dataDir, ['backup', join(root, 'during-2.db')]);
      expect(second.code, JSON.stringify(second.body)).toBe(0);
      const acksAfterSecond = acks.length;
      await finished;
      expect(finalHead).toBe(acks.at(-1));
      // Both were taken mid-write: the writer acknowledged more after each.
      expect(acks.length).toBeGreaterThan(acksAfterSecond);

      const live = hashes(app.store.db);
      expect(live.at(-1)![0]).toBe(finalHead);
      for (const [backup, ackedBefore] of [[first, ackedBeforeFirst], [second.body as BackupResult, ackedBeforeSecond]] as const) {
        expect(readFileSync(`${backup.file}.sha256`, 'utf8').split(' ')[0]).toBe(backup.sha256);
        expect(sha256(readFileSync(backup.file))).toBe(backup.sha256);
        expect(existsSync(`${backup.file}-wal`), 'one self-contained file').toBe(false);
        const db = new Database(backup.file, { readonly: true });
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          const deviceId = (db.prepare("SELECT value FROM store_meta WHERE key = 'device_id'").get() as { value: string }).value;
          expect(deviceId).toBe('BUSY-1');
          const chain = verifyChain({ db, deviceId });
          expect(chain, JSON.stringify(chain)).toMatchObject({ ok: true, head: backup.head });
          expect(db.prepare('SELECT seq, hash FROM chain_head').get()).toEqual(backup.head);
          // Everything acknowledged before the backup began is in it; nothing the writer had not written.
          expect(backup.head.seq).toBeGreaterThanOrEqual(ackedBefore);
          expect(backup.head.seq).toBeLessThan(finalHead);
          const copied = hashes(db);
          expect(copied).toHaveLength(backup.head.seq);
          expect(copied).toEqual(live.slice(0, backup.head.seq));
        } finally {
          db.close();
        }
      }
      expect(second.body.head.seq).toBeGreaterThan(first.head.seq);
    } finally {
      if (writer.exitCode === null) writer.kill('SIGKILL');
      app.close();
    }
  });
});

describe('restore (assettrack restore, a real process)', () => {
  const dataDir = () => join(root, 'box', 'data');
  const file = (name: string) => join(root, 'box', name);
  let oldHead: { seq: number; hash: string };
  let exportHeadSeq: number;
  let bundleName: string;
  let newer: { seq: number; hash: string };
  let before: { seq: number; hash: string };

  beforeAll(() => {
    makeStore(dataDir(), 'BOX-1', 300);
    // A backup, then a quarter's custody, the audit export, and a backup after it.
    const old = cli(dataDir(), ['backup', file('old.db')]);
    expect(old.code, JSON.stringify(old.body)).toBe(0);
    oldHead = old.body.head;
    const app = openApp(dataDir());
    try {
      const oscar = app.operatorByBadge('OPR-1001');
      for (const tags of [['LT-00004'], ['LT-00005', 'LT-00006']]) {
        const outcome = app.execute({ type: 'Issue', tags, holder: 'EMP-0102' }, { actor: oscar, source: 'console' }, () => null);
        if (!outcome.ok) throw outcome.error;
      }
    } finally {
      app.close();
    }
    mkdirSync(file('stick'));
    const exported = cli(dataDir(), ['export', file('stick')]);
    expect(exported.code, JSON.stringify(exported.body)).toBe(0);
    exportHeadSeq = exported.body.head.seq;
    bundleName = exported.body.bundle.split('/').at(-1);
    const after = cli(dataDir(), ['backup', file('newer.db')]);
    expect(after.code).toBe(0);
    newer = after.body.head;
    expect(newer.seq).toBe(exported.body.event_seq); // it holds the ExportWritten event
    before = liveHead(dataDir());
  });

  /** A refused restore: exit 1, the code, and the live store untouched. */
  function refused(args: string[], code: string) {
    const out = cli(dataDir(), ['restore', ...args]);
    expect(out.body, out.stderr).toMatchObject({ ok: false, error: { code } });
    expect(out.code).toBe(1);
    expect(liveHead(dataDir()), 'the live store is unchanged').toEqual(before);
    expect(existsSync(join(dataDir(), 'replaced')), 'nothing was put aside').toBe(false);
    expect(readdirSync(dataDir()).filter((n) => n.startsWith('.restore-')), 'no staged copy left').toEqual([]);
    return out.body.error as { code: string; message: string } & Record<string, unknown>;
  }

  it('refuses a file that is not a database', () => {
    writeFileSync(file('holdings.csv'), 'asset_tag,holder\r\nLT-00001,Bob\r\n');
    expect(refused([file('holdings.csv')], 'NOT_A_DATABASE').message)
      .toBe(`${file('holdings.csv')} is not an SQLite database, so it is not an AssetTrack backup.`);
  });

  it('refuses a truncated database', () => {
    copyFileSync(file('newer.db'), file('truncated.db'));
    truncateSync(file('truncated.db'), Math.floor(readFileSync(file('newer.db')).length / 2));
    expect(refused([file('truncated.db')], 'BACKUP_CORRUPT').message.startsWith(`${file('truncated.db')} is damaged: `)).toBe(true);
  });

  it('refuses a file that does not match its .sha256', () => {
    copyFileSync(file('newer.db'), file('flipped.db'));
    copyFileSync(file('newer.db.sha256'), file('flipped.db.sha256'));
    const bytes = readFileSync(file('flipped.db'));
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01;
    writeFileSync(file('flipped.db'), bytes);
    expect(refused([file('flipped.db')], 'BACKUP_CORRUPT').message)
      .toBe(`${file('flipped.db')} does not match its flipped.db.sha256: the file was damaged or changed after the backup.`);
  });

  it('refuses to roll history back behind the last audit export, and a forced restore without a reason', () => {
    const error = refused([file('old.db')], 'ROLLBACK_BEHIND_EXPORT');
    expect(error).toMatchObject({ backup_head_seq: oldHead.seq, last_export_seq: exportHeadSeq });
    expect(error.message).toContain(`The backup ends at event ${oldHead.seq}, but the last audit export (${bundleName}) already holds the log up to event ${exportHeadSeq}`);
    expect(error.message).toContain('--force --reason');
    expect(refused([file('old.db'), '--force'], 'REASON_REQUIRED').message).toContain('--reason');
  });

  it('refuses while the kiosk named in serve.pid is running', async () => {
    const kiosk = spawn('sleep', ['30'], { stdio: 'ignore' });
    sleepers.push(kiosk);
    await new Promise((resolve) => kiosk.once('spawn', resolve));
    writeFileSync(join(dataDir(), 'serve.pid'), `${kiosk.pid}\n`);
    try {
      expect(refused([file('newer.db')], 'KIOSK_RUNNING').message).toBe(`The kiosk (pid ${kiosk.pid}) is using this store. Stop it first (systemctl stop assettrack), then restore.`);
      // Even a forced restore.
      refused([file('old.db'), '--force', '--reason', 'testing'], 'KIOSK_RUNNING');
    } finally {
      kiosk.kill('SIGKILL');
      await new Promise((resolve) => (kiosk.exitCode !== null || kiosk.signalCode !== null ? resolve(null) : kiosk.once('exit', resolve)));
    }
    // The kiosk is gone but its pid file stayed behind (it was killed): that no longer blocks a restore.
    const out = cli(dataDir(), ['restore', file('newer.db')]);
    expect(out.body, out.stderr).toMatchObject({ ok: true, forced: false, backup_head: newer, replaced_head: before, head: { seq: newer.seq + 1 } });
    rmSync(join(dataDir(), 'serve.pid'));
    before = liveHead(dataDir());
    expect(before.seq).toBe(newer.seq + 1);
    rmSync(join(dataDir(), 'replaced'), { recursive: true }); // so the next test sees only its own
  });

  it('restores a rolled-back backup with --force --reason: StoreRestored records it, the replaced store is kept, the chain verifies', () => {
    const reason = 'store damaged by the flood; the Q3 export on the auditor\'s copy is the record';
    const out = cli(dataDir(), ['restore', file('old.db'), '--force', '--reason', reason]);
    expect(out.code, JSON.stringify(out.body)).toBe(0);
    expect(out.body).toMatchObject({
      ok: true, restored: true, forced: true, file: file('old.db'), sha256: sha256(readFileSync(file('old.db'))),
      backup_head: oldHead, replaced_head: before, head: { seq: oldHead.seq + 1 },
    });
    const kept: string = out.body.previous_kept_at;
    expect(kept.startsWith(join(dataDir(), 'replaced') + '/')).toBe(true);
    expect(readdirSync(join(dataDir(), 'replaced')).filter((n) => n.endsWith('.db'))).toHaveLength(1);
    // The store that was replaced is whole and kept: its head is the one the restore replaced.
    const aside = new Database(kept, { readonly: true });
    try {
      expect(aside.prepare('SELECT seq, hash FROM chain_head').get()).toEqual(before);
    } finally {
      aside.close();
    }

    const app = openApp(dataDir());
    try {
      expect(app.store.head().seq).toBe(oldHead.seq + 1);
      const restored = app.store.event(oldHead.seq + 1)!;
      expect(restored.type).toBe('StoreRestored');
      expect(restored.prev_hash).toBe(oldHead.hash);
      expect(restored.data).toMatchObject({
        file: file('old.db'), forced: true, reason, backup_head_seq: oldHead.seq, backup_head_hash: oldHead.hash,
        replaced_head_seq: before.seq, replaced_head_hash: before.hash, previous_kept_at: kept, last_export_seq: exportHeadSeq,
      });
      const chain = verifyChain(app.store);
      expect(chain, JSON.stringify(chain)).toMatchObject({ ok: true });
      expect(app.store.diffProjections(app.store.replay())).toEqual([]);
      expect(existsSync(join(dataDir(), DB_FILE))).toBe(true);
    } finally {
      app.close();
    }
  });
});
