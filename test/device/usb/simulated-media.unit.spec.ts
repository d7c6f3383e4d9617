// SimulatedMedia on a temp directory, alone and as the watcher's extra mounts (what `make run` does).
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemovableMediaWatcher, type MediaChange } from '../../../device/usb/removable-media.ts';
import { SimulatedMedia } from '../../../device/usb/simulated-media.ts';

let dataDir: string;
let watcher: RemovableMediaWatcher | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sim-usb-'));
});

afterEach(() => {
  watcher?.stop();
  watcher = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SimulatedMedia', () => {
  it('insert() makes <dir>/<LABEL> and returns it as a writable stick with the disk’s free space', () => {
    const dir = join(dataDir, 'simulated-usb');
    const media = new SimulatedMedia({ dir });
    const stick = media.insert('EXPORT-Q3');
    const fs = statfsSync(join(dir, 'EXPORT-Q3'));
    expect(stick).toEqual({
      mountPoint: join(dir, 'EXPORT-Q3'),
      device: 'simulated',
      fsType: 'simulated',
      readOnly: false,
      label: 'EXPORT-Q3',
      freeBytes: fs.bavail * fs.bsize,
      totalBytes: fs.blocks * fs.bsize,
    });
    expect(existsSync(stick.mountPoint)).toBe(true);
    expect(media.mounts().map((m) => m.label)).toEqual(['EXPORT-Q3']);
  });

  it('picks free default labels, refuses a second stick with the same label and labels that are not one name', () => {
    const media = new SimulatedMedia({ dir: dataDir });
    expect(media.insert().label).toBe('SIMULATED');
    expect(media.insert().label).toBe('SIMULATED2');
    expect(() => media.insert('SIMULATED')).toThrow(/already inserted/);
    for (const bad of ['', '.', '..', 'a/b', '../x']) expect(() => media.insert(bad)).toThrow(/Not a usable stick label/);
  });

  it('remove() unlists the stick but keeps its files; inserting it again shows them', () => {
    const media = new SimulatedMedia({ dir: dataDir });
    const stick = media.insert('KEEP');
    writeFileSync(join(stick.mountPoint, 'export.csv'), 'a,b\n');
    expect(media.remove('KEEP')).toBe(true);
    expect(media.remove('KEEP')).toBe(false);
    expect(media.mounts()).toEqual([]);
    expect(readFileSync(join(media.insert('KEEP').mountPoint, 'export.csv'), 'utf8')).toBe('a,b\n');
  });

  it('feeds the watcher: inserted and removed reported, status simulated', () => {
    const media = new SimulatedMedia({ dir: join(dataDir, 'simulated-usb') });
    watcher = new RemovableMediaWatcher({ roots: ['/nonexistent-root'], readMountinfo: () => '', extraMounts: () => media.mounts() });
    const changes: MediaChange[] = [];
    watcher.onChange((c) => changes.push(c));
    expect(watcher.sticks()).toEqual([]);
    expect(watcher.status()).toMatchObject({ state: 'not-present', detail: 'No USB stick inserted.', simulated: true });

    media.insert('EXPORT-Q3');
    expect(watcher.sticks().map((s) => s.label)).toEqual(['EXPORT-Q3']);
    expect(watcher.status()).toMatchObject({ state: 'connected', simulated: true });
    expect(watcher.status().detail).toMatch(new RegExp(`^EXPORT-Q3 \\(simulated\\) at ${dataDir}/simulated-usb/EXPORT-Q3: [\\d.]+ [KMGT]?B free$`));

    media.remove('EXPORT-Q3');
    watcher.sticks();
    expect(changes.map((c) => [c.inserted.map((s) => s.label), c.removed.map((s) => s.label)])).toEqual([
      [['EXPORT-Q3'], []],
      [[], ['EXPORT-Q3']],
    ]);
  });
});
