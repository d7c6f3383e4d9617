// The watcher on the real mount table and a real FAT file system. This kernel has no vfat, so the stick is
// an image made by mkfs.vfat and mounted through FUSE with fusefat under a temp root (what /media is on
// the box). What was observed here, and is asserted below: fusefat mounts show as fsType "fuse.fusefat"
// with source "fusefat"; read-only needs `-o ro` (without rw+ or ro fusefat refuses to mount); a fusefat
// killed with SIGKILL leaves its mount in the table and statfs on it fails with ENOTCONN until unmounted.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { which } from '../../support/which.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../device/device-status.ts';
import { formatBytes } from '../../../device/usb/media-status.ts';
import { RemovableMediaWatcher, type MediaChange } from '../../../device/usb/removable-media.ts';


const FUSEFAT = which('fusefat');
const MKFS_VFAT = which('mkfs.vfat');
const FUSERMOUNT = which('fusermount3') ?? which('fusermount');
const missing = [!FUSEFAT && 'fusefat', !MKFS_VFAT && 'mkfs.vfat (dosfstools)', !FUSERMOUNT && 'fusermount3 (fuse3)'].filter(Boolean);
// In CI the tools are installed by .ci/run: a missing one there must fail, not skip.
const skip = missing.length > 0 && process.env.CI !== 'true';
if (skip) console.warn(`SKIPPED removable-media.int.spec.ts: ${missing.join(', ')} not installed (apt-get install fusefat fuse3 dosfstools).`);

const POLL = { timeout: 5000, interval: 20 };

let dir: string;
let root: string;
let watcher: RemovableMediaWatcher | undefined;
const mounted: string[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'usb-int-'));
  root = join(dir, 'media');
  mkdirSync(root);
});

afterEach(() => {
  watcher?.stop();
  watcher = undefined;
  // Even after a failed test: no mount and no fusefat left behind (lazy, in case something still holds it).
  for (const mountPoint of mounted.splice(0)) spawnSync(FUSERMOUNT ?? 'fusermount3', ['-u', '-z', mountPoint], { stdio: 'ignore' });
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  if (result.error) throw new Error(`${command} ${args.join(' ')} did not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}${result.stdout}`);
}

/** A FAT image of `mib` MiB labelled `label`, and the directory under the root it will mount on. */
function stickImage(label: string, mib = 16): { image: string; mountPoint: string } {
  const image = join(dir, `${label.replace(/\W/g, '_')}.img`);
  writeFileSync(image, '');
  truncateSync(image, mib * 1024 ** 2);
  run(MKFS_VFAT!, ['-n', label, image]);
  const mountPoint = join(root, label);
  mkdirSync(mountPoint);
  return { image, mountPoint };
}

/** fusefat daemonizes once the mount is in place, so the stick is mounted when this returns. */
function mountFat(image: string, mountPoint: string, option: 'rw+' | 'ro'): void {
  mounted.push(mountPoint);
  run(FUSEFAT!, ['-o', option, image, mountPoint]);
}

function unmount(mountPoint: string): void {
  run(FUSERMOUNT!, ['-u', mountPoint]);
}

function watch() {
  watcher = new RemovableMediaWatcher({ roots: [root], pollMs: 50 });
  const changes: MediaChange[] = [];
  const statuses: DeviceStatus[] = [];
  watcher.onChange((c) => changes.push(c));
  watcher.onStatus((s) => statuses.push(s));
  watcher.start();
  return { watcher, changes, statuses };
}

describe.skipIf(skip)('RemovableMediaWatcher on FAT through FUSE', () => {
  it('has fusefat, mkfs.vfat and fusermount3 (required in CI)', () => {
    expect(missing).toEqual([]);
  });

  it('reports a stick inserted with its file system and free space, then removed after unmount', async () => {
    const { watcher, changes } = watch();
    expect(watcher.status()).toMatchObject({ state: 'not-present', detail: 'No USB stick inserted.', simulated: false });

    // A label with a space: the mount point comes through mountinfo as \040 and must be read back.
    const { image, mountPoint } = stickImage('EXPORT Q3');
    mountFat(image, mountPoint, 'rw+');
    await expect.poll(() => changes.length, POLL).toBe(1);
    const [stick] = changes[0]!.inserted;
    expect(changes[0]!.removed).toEqual([]);
    expect(stick).toMatchObject({ mountPoint, device: 'fusefat', fsType: 'fuse.fusefat', readOnly: false, label: 'EXPORT Q3' });
    const fs = statfsSync(mountPoint);
    expect(stick!.freeBytes).toBeGreaterThan(0);
    expect(stick!.freeBytes).toBe(fs.bavail * fs.bsize);
    expect(stick!.totalBytes).toBe(fs.blocks * fs.bsize);
    expect(stick!.totalBytes).toBeGreaterThan(15 * 1024 ** 2);
    expect(watcher.status()).toMatchObject({ state: 'connected', detail: `EXPORT Q3 (fuse.fusefat) at ${mountPoint}: ${formatBytes(stick!.freeBytes)} free` });

    // sticks() measures again: a file written is space gone.
    writeFileSync(join(mountPoint, 'export.csv'), Buffer.alloc(2 * 1024 ** 2, 'x'));
    await expect.poll(() => watcher.sticks()[0]?.freeBytes, POLL).toBeLessThanOrEqual(stick!.freeBytes - 2 * 1024 ** 2);
    expect(changes).toHaveLength(1);

    unmount(mountPoint);
    await expect.poll(() => changes.length, POLL).toBe(2);
    expect(changes[1]).toEqual({ inserted: [], removed: [{ mountPoint, device: 'fusefat', fsType: 'fuse.fusefat', readOnly: false, label: 'EXPORT Q3' }], sticks: [] });
    expect(watcher.status()).toMatchObject({ state: 'not-present', detail: 'No USB stick inserted.' });
  });

  it('a stick mounted read-only is reported read-only, next to a writable one', async () => {
    const { watcher, changes } = watch();
    const ro = stickImage('EVIDENCE');
    const rw = stickImage('KINGSTON');
    mountFat(ro.image, ro.mountPoint, 'ro');
    mountFat(rw.image, rw.mountPoint, 'rw+');
    await expect.poll(() => changes.flatMap((c) => c.inserted).length, POLL).toBe(2);
    const byLabel = Object.fromEntries(watcher.sticks().map((s) => [s.label, s.readOnly]));
    expect(byLabel).toEqual({ EVIDENCE: true, KINGSTON: false });
    expect(watcher.status().state).toBe('connected');
    expect(watcher.status().detail).toMatch(/^2 USB sticks: /);
    expect(watcher.status().detail).toContain(`EVIDENCE (fuse.fusefat) at ${ro.mountPoint}: read-only, `);
  });

  it('a pulled stick (its fusefat killed) is removed and reported in error until it is unmounted', async () => {
    const { watcher, changes, statuses } = watch();
    const { image, mountPoint } = stickImage('PULLED');
    mounted.push(mountPoint);
    const fusefat = spawn(FUSEFAT!, ['-f', '-o', 'rw+', image, mountPoint], { stdio: 'ignore' });
    children.push(fusefat);
    await expect.poll(() => changes.length, POLL).toBe(1);
    expect(changes[0]!.inserted[0]).toMatchObject({ label: 'PULLED', fsType: 'fuse.fusefat' });

    fusefat.kill('SIGKILL');
    await expect.poll(() => changes.length, POLL).toBe(2);
    expect(changes[1]).toMatchObject({ inserted: [], removed: [{ mountPoint, label: 'PULLED' }], sticks: [] });
    expect(watcher.status()).toMatchObject({
      state: 'error',
      detail: `PULLED at ${mountPoint} cannot be read (ENOTCONN); remove it and insert it again.`,
    });
    // Still polling: it stays in error (the dead mount is still in the table), then clears once unmounted.
    expect(watcher.sticks()).toEqual([]);
    unmount(mountPoint);
    await expect.poll(() => watcher.status().state, POLL).toBe('not-present');
    expect(statuses.map((s) => s.state)).toEqual(['not-present', 'connected', 'error', 'not-present']);
    expect(changes).toHaveLength(2);
  });
});
