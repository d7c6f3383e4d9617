// The audit export onto a real FAT file system. This kernel has no vfat, so the stick is an image made by
// mkfs.vfat and mounted through FUSE with fusefat (see test/device/usb/removable-media.int.spec.ts). What was
// observed here and is asserted below: a full fusefat stick answers EPERM (not ENOSPC); a read-only one
// EROFS; a stick whose fusefat is killed mid-write answers ENOTCONN or ECONNABORTED (both seen);
// fusefat loses the files of a folder it renames, so on FUSE the bundle's files are moved into the final
// folder one by one (write-bundle.ts publish()); fsck.vfat finds the stick clean after an export.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statfsSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaError } from '../../../appliance/export/durable-files.ts';
import { exportBundle, type ExportProgress } from '../../../appliance/export/write-bundle.ts';
import { cli, eventsOfType, makeStore, openApp, run, runBundleVerifier, which } from './export-support.ts';

const FUSEFAT = which('fusefat');
const MKFS_VFAT = which('mkfs.vfat');
const FUSERMOUNT = which('fusermount3') ?? which('fusermount');
const FSCK_VFAT = which('fsck.vfat');
const MCOPY = which('mcopy');
const missing = [!FUSEFAT && 'fusefat', !MKFS_VFAT && 'mkfs.vfat (dosfstools)', !FUSERMOUNT && 'fusermount3 (fuse3)', !FSCK_VFAT && 'fsck.vfat (dosfstools)',
  !MCOPY && 'mcopy (mtools)'].filter(Boolean);
// In CI the tools are installed by .ci/run: a missing one there must fail, not skip.
const skip = missing.length > 0 && process.env.CI !== 'true';
if (skip) console.warn(`SKIPPED export-fat.e2e.spec.ts: ${missing.join(', ')} not installed (apt-get install fusefat fuse3 dosfstools mtools).`);

const FUSE_SUPER_MAGIC = 0x65735546;
const CONSOLE = { actor: { kind: 'console' as const }, source: 'console' as const };

let dir: string;
let data: string;
const mounted: string[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-fat-'));
  data = join(dir, 'data');
});

afterEach(() => {
  // Even after a failed test: no mount and no fusefat left behind (lazy, in case something still holds it).
  for (const mountPoint of mounted.splice(0)) spawnSync(FUSERMOUNT ?? 'fusermount3', ['-u', '-z', mountPoint], { stdio: 'ignore' });
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A FAT image of `mib` MiB and an empty folder to mount it on. */
function stick(label: string, mib: number): { image: string; mnt: string } {
  const image = join(dir, `${label}.img`);
  writeFileSync(image, '');
  truncateSync(image, mib * 1024 ** 2);
  run(MKFS_VFAT!, ['-n', label, image]);
  const mnt = join(dir, label);
  mkdirSync(mnt);
  return { image, mnt };
}

/** fusefat daemonizes once the mount is in place. */
function mountFat(image: string, mnt: string, option: 'rw+' | 'ro' = 'rw+'): void {
  mounted.push(mnt);
  run(FUSEFAT!, ['-o', option, image, mnt]);
}

function unmount(mnt: string): void {
  run(FUSERMOUNT!, ['-u', mnt]);
  mounted.splice(mounted.indexOf(mnt), 1);
}

/** fusefat in the foreground, as a child this test can kill: the stick that will be pulled. */
async function mountFatForeground(image: string, mnt: string): Promise<ChildProcess> {
  mounted.push(mnt);
  const child = spawn(FUSEFAT!, ['-f', '-o', 'rw+', image, mnt], { stdio: 'ignore' });
  children.push(child);
  const until = Date.now() + 5000;
  while (statfsSync(mnt).type !== FUSE_SUPER_MAGIC) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`fusefat -f did not mount ${image}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

/** Every name under `root`, relative. */
function allNames(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
}

/** Blocks (this is inside the export's synchronous progress callback) until the mount answers ENOTCONN. */
function waitUntilGone(mnt: string): void {
  const until = Date.now() + 5000;
  for (;;) {
    try {
      statfsSync(mnt);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTCONN') return;
      throw e;
    }
    if (Date.now() > until) throw new Error(`${mnt} still answers after its fusefat was killed`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function expectMediaError(promise: Promise<unknown>): Promise<MediaError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err, 'the export must fail').toBeInstanceOf(MediaError);
  return err as MediaError;
}

describe.skipIf(skip)('audit export onto a FAT stick (fusefat)', () => {
  it('has fusefat, mkfs.vfat, fusermount3, fsck.vfat and mcopy (required in CI)', () => {
    expect(missing).toEqual([]);
  });

  it('assettrack export writes a bundle (and a backup) that the bundle\'s own verify.mjs and verify-export accept', () => {
    const head = makeStore(data, 'KIOSK-7', 3000);
    const { image, mnt } = stick('EXPORT', 32);
    mountFat(image, mnt);

    const out = cli(data, ['export', mnt, '--backup']);
    expect(out.body, out.stderr).toMatchObject({ ok: true, verified: true, count: head });
    expect(out.code).toBe(0);
    const bundle: string = out.body.bundle;
    const name = basename(bundle);
    expect(dirname(bundle)).toBe(mnt);
    expect(name).toMatch(/^AssetTrack-KIOSK-7-\d{8}T\d{6}Z$/);

    // FAT-safe: no ':' anywhere, no two names that differ only in case; nothing partial left behind.
    const names = allNames(mnt).filter((n) => n !== 'EXPORT'); // fusefat lists the volume label as a file
    expect(names).toEqual([name, ...['README.txt', 'device-public-key.pem', 'events.csv', 'events.ndjson', 'holdings.csv', 'manifest.json', 'manifest.sig',
      'report.html', 'verify.mjs'].map((f) => `${name}/${f}`), `${name}.backup.db`, `${name}.backup.db.sha256`].sort());
    expect(names.filter((n) => n.includes(':'))).toEqual([]);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names.filter((n) => n.includes('.partial'))).toEqual([]);

    // The auditor's way: the verifier inside the bundle, a separate node process, in the bundle's folder.
    const verified = runBundleVerifier(bundle);
    expect(verified.stdout).toContain(`VERIFIED: ${head} events up to event ${head}`);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const asJson = runBundleVerifier(bundle, ['--json']);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ ok: true, count: head, failures: [] });
    const cliVerify = cli(data, ['verify-export', bundle]);
    expect(cliVerify).toMatchObject({ code: 0, body: { ok: true, count: head, device_id: 'KIOSK-7', head: out.body.head } });

    // The log recorded the export with the hash of the manifest that is on the stick.
    const manifestSha = sha256(readFileSync(join(bundle, 'manifest.json')));
    expect(out.body.manifest_sha256).toBe(manifestSha);
    const app = openApp(data);
    try {
      const written = eventsOfType(app, 'ExportWritten');
      expect(written).toHaveLength(1);
      expect(written[0]!.seq).toBe(out.body.event_seq);
      expect(written[0]!.data).toMatchObject({
        bundle: name, target: mnt, manifest_sha256: manifestSha, count: head, head_seq: head, head_hash: out.body.head.hash,
        previous_head_seq: null, backup: { file: `${bundle}.backup.db`, sha256: out.body.backup.sha256, head_seq: head },
      });
      expect(eventsOfType(app, 'ExportFailed')).toEqual([]);
      expect(app.state().lastExport).toMatchObject({ bundle: name, headSeq: head, manifestSha256: manifestSha });
    } finally {
      app.close();
    }

    // The backup beside it is one self-contained database at the exported head.
    expect(readFileSync(`${bundle}.backup.db.sha256`, 'utf8')).toBe(`${out.body.backup.sha256}  ${name}.backup.db\n`);
    expect(sha256(readFileSync(`${bundle}.backup.db`))).toBe(out.body.backup.sha256);
    const copy = new Database(`${bundle}.backup.db`, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(copy.prepare('SELECT seq, hash FROM chain_head').get()).toEqual(out.body.head);
    } finally {
      copy.close();
    }

    // Out of the machine: the FAT is consistent and another FAT reader (mtools, no mount) reads the same manifest.
    unmount(mnt);
    const fsck = spawnSync(FSCK_VFAT!, ['-n', image], { encoding: 'utf8' });
    expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
    const copied = join(dir, 'manifest-from-mtools.json');
    // MTOOLS_SKIP_CHECK: fusefat rewrites FAT entry 1 as 0x8000 (the "no disk errors" bit clear), which
    // fsck.vfat accepts but mtools refuses to read without it.
    const mcopy = spawnSync(MCOPY!, ['-n', '-i', image, `::/${name}/manifest.json`, copied], { encoding: 'utf8', env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    expect(mcopy.status, mcopy.stderr).toBe(0);
    expect(sha256(readFileSync(copied))).toBe(manifestSha);
  });

  it('a stick too small is refused by the free-space check before anything is written', async () => {
    makeStore(data, 'KIOSK-7', 2000);
    const { image, mnt } = stick('TINY', 1);
    mountFat(image, mnt);
    const app = openApp(data);
    try {
      const err = await expectMediaError(exportBundle(app, mnt, CONSOLE));
      expect(err).toMatchObject({ code: 'STICK_FULL', stage: 'checking the free space', errno: '' });
      expect(err.message).toMatch(/^The USB stick has \d+ KB free; this export needs about 2\.\d MB\. Nothing was written: use a larger stick or free space on it\.$/);
      const failed = eventsOfType(app, 'ExportFailed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.data).toMatchObject({ target: mnt, stage: 'checking the free space', code: 'STICK_FULL', reason: err.message });
      expect(eventsOfType(app, 'ExportWritten')).toEqual([]);
    } finally {
      app.close();
    }
    expect(allNames(mnt).filter((n) => n !== 'TINY')).toEqual([]);
  });

  it('a stick that fills up while the events are written: EPERM from fusefat is STICK_FULL, nothing is left on it', async () => {
    makeStore(data, 'KIOSK-7', 600);
    const { image, mnt } = stick('SMALL', 2);
    mountFat(image, mnt);
    const app = openApp(data);
    const stages: string[] = [];
    let fillerErrno = '';
    try {
      // The free-space check passes (the bundle is under 1 MB); then something else fills the stick.
      const err = await expectMediaError(exportBundle(app, mnt, {
        ...CONSOLE,
        onProgress: (p: ExportProgress) => {
          stages.push(p.stage);
          if (fillerErrno) return;
          const fd = openSync(join(mnt, 'FILLER.BIN'), 'w');
          try {
            for (const buf = Buffer.alloc(64 * 1024, 1); ;) writeSync(fd, buf);
          } catch (e) {
            fillerErrno = (e as NodeJS.ErrnoException).code ?? '?';
          } finally {
            closeSync(fd);
          }
        },
      }));
      expect(fillerErrno, 'a full fusefat stick answers EPERM').toBe('EPERM');
      expect(stages).toEqual(['events']);
      expect(err).toMatchObject({ code: 'STICK_FULL', errno: 'EPERM', stage: 'writing the events' });
      expect(err.message).toMatch(/^The USB stick is full \(EPERM while writing the events\); \d+ bytes free\. Nothing was kept: use a larger stick/);
      const failed = eventsOfType(app, 'ExportFailed');
      expect(failed.map((e) => e.data)).toEqual([{ bundle: expect.stringMatching(/^AssetTrack-KIOSK-7-/), target: mnt, stage: 'writing the events', code: 'STICK_FULL', reason: err.message }]);
      expect(eventsOfType(app, 'ExportWritten')).toEqual([]);
    } finally {
      app.close();
    }
    // The stick is still there, so the partial folder was removed: only the filler is left.
    expect(allNames(mnt).filter((n) => n !== 'SMALL')).toEqual(['FILLER.BIN']);
  });

  it('a backup that does not fit is STICK_FULL before the copy (SQLite would call fusefat\'s EPERM an I/O error: "went away")', () => {
    makeStore(data, 'KIOSK-7', 3000);
    const backupNeeds = /^The USB stick has \d+(\.\d)? (KB|MB) free; the copy of the database needs about 1\.\d MB\. Nothing was left on it: use a larger stick or free space on it\.$/;
    // assettrack backup onto a 1 MB stick.
    const tiny = stick('TINY', 1);
    mountFat(tiny.image, tiny.mnt);
    const backup = cli(data, ['backup', join(tiny.mnt, 'assettrack.db')]);
    expect(backup).toMatchObject({ code: 1, body: { ok: false, error: { code: 'STICK_FULL', stage: 'checking the free space' } } });
    expect(backup.body.error.message).toMatch(backupNeeds);
    expect(allNames(tiny.mnt).filter((n) => n !== 'TINY')).toEqual([]);

    // assettrack export --backup onto a stick with room for the bundle but not for the copy beside it: the
    // export's own check counts the copy too, so it refuses before writing anything.
    const small = stick('SMALL', 5);
    mountFat(small.image, small.mnt);
    const out = cli(data, ['export', small.mnt, '--backup']);
    expect(out).toMatchObject({ code: 1, body: { ok: false, error: { code: 'STICK_FULL', stage: 'checking the free space' } } });
    expect(out.body.error.message).toMatch(/^The USB stick has \d+(\.\d)? (KB|MB) free; this export needs about \d+(\.\d)? MB\. Nothing was written: use a larger stick or free space on it\.$/);
    expect(allNames(small.mnt).filter((n) => n !== 'SMALL'), 'the bundle written before the backup was removed').toEqual([]);
    const app = openApp(data);
    try {
      expect(eventsOfType(app, 'ExportFailed').map((e) => e.data)).toEqual([
        { bundle: expect.stringMatching(/^AssetTrack-KIOSK-7-/), target: small.mnt, stage: 'checking the free space', code: 'STICK_FULL', reason: out.body.error.message },
      ]);
      expect(eventsOfType(app, 'ExportWritten')).toEqual([]);
    } finally {
      app.close();
    }
  });

  it('a read-only stick: EROFS is STICK_READ_ONLY, with a message that says so', async () => {
    makeStore(data, 'KIOSK-7');
    const { image, mnt } = stick('LOCKED', 8);
    mountFat(image, mnt, 'ro');
    const app = openApp(data);
    try {
      const err = await expectMediaError(exportBundle(app, mnt, CONSOLE));
      expect(err).toMatchObject({ code: 'STICK_READ_ONLY', errno: 'EROFS', stage: 'creating the bundle folder' });
      expect(err.message).toContain('read-only');
      expect(eventsOfType(app, 'ExportFailed').map((e) => e.data.code)).toEqual(['STICK_READ_ONLY']);
    } finally {
      app.close();
    }
    expect(allNames(mnt).filter((n) => n !== 'LOCKED')).toEqual([]);
  });

  it('a stick pulled mid-write (fusefat killed): STICK_REMOVED, ExportFailed, no final-named bundle; once back it takes a new export', async () => {
    makeStore(data, 'KIOSK-7', 20_000);
    const { image, mnt } = stick('PULLED', 64);
    const fusefat = await mountFatForeground(image, mnt);
    // A fixed clock: the export after the pull gets the same time stamp as the one that was cut off.
    const at = new Date();
    const app = openApp(data, () => at);
    const progress: ExportProgress[] = [];
    let pulledAt = 0;
    try {
      const err = await expectMediaError(exportBundle(app, mnt, {
        ...CONSOLE,
        onProgress: (p) => {
          progress.push(p);
          if (!pulledAt && p.stage === 'events' && p.done >= 10_000) {
            pulledAt = p.done;
            fusefat.kill('SIGKILL');
            waitUntilGone(mnt); // the next write of the export meets a dead stick
          }
        },
      }));
      expect(pulledAt).toBeGreaterThan(0);
      expect(progress.every((p) => p.stage === 'events'), 'it failed while writing the events').toBe(true);
      expect(progress.at(-1)!.done).toBe(pulledAt);
      expect(err.code).toBe('STICK_REMOVED');
      // Both seen here: ENOTCONN, or ECONNABORTED when the kernel was still tearing the connection down.
      expect(['ENOTCONN', 'ECONNABORTED']).toContain(err.errno);
      expect(err.stage).toBe('writing the events');
      expect(err.message).toBe(`The USB stick went away while writing the events (${err.errno}). No complete bundle was left on it: insert it again and export again.`);
      const failed = eventsOfType(app, 'ExportFailed');
      expect(failed.map((e) => e.data)).toEqual([{ bundle: expect.stringMatching(/^AssetTrack-KIOSK-7-/), target: mnt, stage: 'writing the events', code: 'STICK_REMOVED', reason: err.message }]);
      expect(eventsOfType(app, 'ExportWritten')).toEqual([]);
      const cutOff = failed[0]!.data.bundle as string;

      // Unplugged and plugged in again: the same image, a new fusefat.
      await new Promise((resolve) => fusefat.exitCode !== null || fusefat.signalCode !== null ? resolve(null) : fusefat.once('exit', resolve));
      unmount(mnt);
      mountFat(image, mnt, 'rw+');
      const onStick = readdirSync(mnt).filter((n) => n !== 'PULLED');
      expect(onStick.filter((n) => n.startsWith('AssetTrack-')), 'no final-named bundle').toEqual([]);
      // What the cut-off export had made is still there (fusefat wrote the folder's entry before it died):
      // its partial folder, never the final name.
      expect(onStick).toEqual([`.${cutOff}.partial`]);

      // Exported again at the same time stamp: a new name, and the leftover partial folder is left alone.
      const again = await exportBundle(app, mnt, CONSOLE);
      expect(again.name).toBe(`${cutOff}-2`);
      expect(again.report.ok).toBe(true);
      expect(runBundleVerifier(again.bundle).code).toBe(0);
      expect(readdirSync(mnt).filter((n) => n !== 'PULLED').sort()).toEqual([...onStick, again.name].sort());
      expect(eventsOfType(app, 'ExportWritten').map((e) => e.data.bundle)).toEqual([again.name]);
    } finally {
      app.close();
    }
  });
});
