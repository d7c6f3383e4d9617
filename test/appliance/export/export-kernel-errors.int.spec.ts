// The export's failure paths as the kernel reports them, on ext4 in an image on a loop device (this
// kernel has no vfat; fusefat answers EPERM where the kernel says ENOSPC). A full file system: the
// free-space check passes, then a filler file takes the rest of the space while the events are written, so
// ENOSPC comes from the kernel in the middle of the write. A read-only mount: EROFS at the first mkdir.
// Mounting needs root: without it the file skips (saying why), except with CI=true where it must run.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaError } from '../../../appliance/export/durable-files.ts';
import { exportBundle, type ExportProgress } from '../../../appliance/export/write-bundle.ts';
import { cli, eventsOfType, makeStore, openApp, run, which } from './export-support.ts';

const isRoot = process.getuid?.() === 0;
const MKFS_EXT4 = which('mkfs.ext4');
const LOSETUP = which('losetup');
const reasons = [!isRoot && 'not root (mounting a loop device needs root)', !MKFS_EXT4 && 'mkfs.ext4 (e2fsprogs) not installed', !LOSETUP && 'losetup not installed']
  .filter(Boolean);
const skip = reasons.length > 0 && process.env.CI !== 'true';
if (skip) console.warn(`SKIPPED export-kernel-errors.int.spec.ts: ${reasons.join('; ')}.`);

const CONSOLE = { actor: { kind: 'console' as const }, source: 'console' as const };

let dir: string;
let data: string;
const mounts: { image: string; mnt: string }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-ext4-'));
  data = join(dir, 'data');
});

afterEach(() => {
  // Even after a failed test: unmount (lazily, should something still hold it) and free this test's loop
  // devices only (losetup -j names the ones backed by our image).
  for (const { image, mnt } of mounts.splice(0)) {
    spawnSync('umount', ['-l', mnt], { stdio: 'ignore' });
    const loops = spawnSync(LOSETUP ?? 'losetup', ['-j', image], { encoding: 'utf8' }).stdout ?? '';
    for (const line of loops.split('\n')) {
      const device = line.split(':')[0];
      if (device?.startsWith('/dev/loop')) spawnSync(LOSETUP ?? 'losetup', ['-d', device], { stdio: 'ignore' });
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** An ext4 image of `mib` MiB (no blocks reserved for root: a full disk is full for us too), loop-mounted. */
function ext4Stick(name: string, mib: number, readOnly = false): string {
  const image = join(dir, `${name}.img`);
  writeFileSync(image, '');
  truncateSync(image, mib * 1024 ** 2);
  run(MKFS_EXT4!, ['-q', '-m', '0', '-L', name, image]);
  const mnt = join(dir, name);
  mkdirSync(mnt);
  mounts.push({ image, mnt });
  run('mount', ['-o', readOnly ? 'loop,ro' : 'loop', image, mnt]);
  return mnt;
}

/** What is on the stick besides ext4's own lost+found. */
function onStick(mnt: string): string[] {
  return readdirSync(mnt).filter((n) => n !== 'lost+found').sort();
}

async function failedExport(promise: Promise<unknown>): Promise<MediaError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err, 'the export must fail').toBeInstanceOf(MediaError);
  return err as MediaError;
}

describe.skipIf(skip)('export failures from the kernel (ext4 on a loop device)', () => {
  it('can mount a loop device (root, e2fsprogs: required in CI)', () => {
    expect(reasons).toEqual([]);
  });

  it('the stick fills up mid-write: the kernel\'s ENOSPC is STICK_FULL, ExportFailed is recorded, nothing is left', async () => {
    const head = makeStore(data, 'EXT-1', 8000);
    const mnt = ext4Stick('FULL', 16);
    const freeBefore = statfsSync(mnt).bavail * statfsSync(mnt).bsize;
    const app = openApp(data);
    const progress: ExportProgress[] = [];
    let fillerErrno = '';
    try {
      const err = await failedExport(exportBundle(app, mnt, {
        ...CONSOLE,
        onProgress: (p) => {
          progress.push(p);
          if (fillerErrno) return;
          // The first chunk of events is on the stick already; now something else takes every free block.
          const fd = openSync(join(mnt, 'filler.bin'), 'w');
          try {
            for (const buf = Buffer.alloc(64 * 1024, 1); ;) writeSync(fd, buf);
          } catch (e) {
            fillerErrno = (e as NodeJS.ErrnoException).code ?? '?';
          } finally {
            closeSync(fd);
          }
        },
      }));
      expect(fillerErrno).toBe('ENOSPC');
      expect(progress[0]).toEqual({ stage: 'events', done: 5000, total: head });
      expect(progress.every((p) => p.stage === 'events'), 'it failed while writing the events').toBe(true);
      expect(err).toMatchObject({ code: 'STICK_FULL', errno: 'ENOSPC', stage: 'writing the events' });
      expect(err.message).toMatch(/^The USB stick is full \(ENOSPC while writing the events\); \d+(\.\d)? (bytes|KB) free\. Nothing was kept: use a larger stick or free space on it, then export again\.$/);
      const failed = eventsOfType(app, 'ExportFailed');
      expect(failed.map((e) => e.data)).toEqual([{ bundle: expect.stringMatching(/^AssetTrack-EXT-1-\d{8}T\d{6}Z$/), target: mnt, stage: 'writing the events', code: 'STICK_FULL', reason: err.message }]);
      expect(eventsOfType(app, 'ExportWritten')).toEqual([]);
      expect(app.state().lastExport).toBeNull();
    } finally {
      app.close();
    }
    // Neither a final-named bundle nor the partial folder: only the filler.
    expect(onStick(mnt)).toEqual(['filler.bin']);
    expect(freeBefore, 'room enough for the free-space check to pass').toBeGreaterThan(10 * 1024 ** 2);
  });

  it('a stick too small for a larger log is refused before anything is written, by an estimate above the real size', async () => {
    // 20,000 events: the free-space check estimates from 4,096 evenly spaced events instead of reading all.
    makeStore(data, 'EXT-1', 20_000);
    const mnt = ext4Stick('SMALL', 16);
    const app = openApp(data);
    try {
      const err = await failedExport(exportBundle(app, mnt, CONSOLE));
      expect(err).toMatchObject({ code: 'STICK_FULL', stage: 'checking the free space', errno: '' });
      const [, amount, unit] = /needs about ([\d.]+) (KB|MB)\. Nothing was written/.exec(err.message) ?? [];
      expect(amount, err.message).toBeDefined();
      const estimate = Number(amount) * 1024 ** (unit === 'MB' ? 2 : 1);
      expect(onStick(mnt)).toEqual([]);
      // The same log exported where there is room: the estimate was above the bundle, by less than a third.
      const roomy = join(dir, 'roomy');
      mkdirSync(roomy);
      const done = await exportBundle(app, roomy, CONSOLE);
      expect(estimate).toBeGreaterThan(done.bytes);
      expect(estimate).toBeLessThan(done.bytes * 1.34);
    } finally {
      app.close();
    }
  });

  it('a read-only stick: EROFS is STICK_READ_ONLY with a message that says read-only; in process and by the CLI', async () => {
    const head = makeStore(data, 'EXT-1', 100);
    const mnt = ext4Stick('LOCKED', 8, true);
    const app = openApp(data);
    try {
      const err = await failedExport(exportBundle(app, mnt, CONSOLE));
      expect(err).toMatchObject({ code: 'STICK_READ_ONLY', errno: 'EROFS', stage: 'creating the bundle folder' });
      expect(err.message).toBe('The USB stick cannot be written (EROFS while creating the bundle folder): it is read-only or write-protected. ' +
        'Slide its lock switch off, or use another stick.');
      expect(eventsOfType(app, 'ExportFailed').map((e) => e.data)).toEqual([
        { bundle: expect.stringMatching(/^AssetTrack-EXT-1-/), target: mnt, stage: 'creating the bundle folder', code: 'STICK_READ_ONLY', reason: err.message },
      ]);
    } finally {
      app.close();
    }

    // The same through `assettrack export` (a real process): exit 1, the code, the errno, the stage.
    const out = cli(data, ['export', mnt]);
    expect(out).toMatchObject({
      code: 1,
      body: { ok: false, error: { code: 'STICK_READ_ONLY', errno: 'EROFS', stage: 'creating the bundle folder', message: expect.stringContaining('read-only') } },
    });
    const after = openApp(data);
    try {
      expect(eventsOfType(after, 'ExportFailed').map((e) => e.data.code)).toEqual(['STICK_READ_ONLY', 'STICK_READ_ONLY']);
      expect(eventsOfType(after, 'ExportWritten')).toEqual([]);
      expect(after.store.head().seq).toBe(head + 2); // the two ExportFailed events, nothing else
    } finally {
      after.close();
    }
    expect(onStick(mnt)).toEqual([]);
  });
});
