// The watcher over a mount table and statfs that the test controls: what it reports when sticks come,
// go, fail and recover, and that nothing it is given (a failing statfs, a throwing listener) stops it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatus } from '../../../device/device-status.ts';
import { RemovableMediaWatcher, type MediaChange, type RemovableMediaOptions, type StatfsResult } from '../../../device/usb/removable-media.ts';

const BASE = '22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/mmcblk0p2 rw';
const line = (id: number, mountPoint: string, source: string, ro = false) =>
  `${id} 22 8:${id} / ${mountPoint} ${ro ? 'ro' : 'rw'},nosuid,nodev,relatime shared:${id} - vfat ${source} ${ro ? 'ro' : 'rw'},flush`;
const Q3 = line(40, '/media/EXPORT-Q3', '/dev/sda1');
const KINGSTON = line(41, '/media/KINGSTON', '/dev/sdb1', true);

const GiB = 1024 ** 3;
const space = (freeGiB: number): StatfsResult => ({ bsize: 4096, blocks: (8 * GiB) / 4096, bavail: (freeGiB * GiB) / 4096 });

let watcher: RemovableMediaWatcher | undefined;
afterEach(() => {
  watcher?.stop();
  watcher = undefined;
  vi.useRealTimers();
});

function setup(options: Partial<RemovableMediaOptions> = {}) {
  const table = { lines: [BASE] };
  const disks = new Map<string, StatfsResult | Error>();
  const w = new RemovableMediaWatcher({
    roots: ['/media'],
    readMountinfo: () => table.lines.join('\n') + '\n',
    statfs: (path) => {
      const answer = disks.get(path);
      if (answer instanceof Error) throw answer;
      if (!answer) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return answer;
    },
    labelOf: () => null,
    now: () => new Date('2026-03-16T09:00:00Z'),
    ...options,
  });
  watcher = w;
  const changes: MediaChange[] = [];
  const statuses: DeviceStatus[] = [];
  w.onChange((c) => changes.push(c));
  w.onStatus((s) => statuses.push(s));
  return { w, table, disks, changes, statuses };
}

const ioError = (code: string) => Object.assign(new Error(`${code}: statfs`), { code });

describe('RemovableMediaWatcher', () => {
  it('reports a stick inserted with its free space, then removed', () => {
    const { w, table, disks, changes } = setup();
    expect(w.sticks()).toEqual([]);
    expect(w.status()).toMatchObject({ id: 'usb', kind: 'USB stick', state: 'not-present', detail: 'No USB stick inserted.', simulated: false });

    table.lines.push(Q3);
    disks.set('/media/EXPORT-Q3', space(3.2));
    const stick = { mountPoint: '/media/EXPORT-Q3', device: '/dev/sda1', fsType: 'vfat', readOnly: false, label: 'EXPORT-Q3', freeBytes: 3.2 * GiB, totalBytes: 8 * GiB };
    expect(w.sticks()).toEqual([stick]);
    expect(changes).toEqual([{ inserted: [stick], removed: [], sticks: [stick] }]);
    expect(w.status()).toMatchObject({ state: 'connected', detail: 'EXPORT-Q3 (vfat) at /media/EXPORT-Q3: 3.2 GB free' });

    table.lines.pop();
    expect(w.sticks()).toEqual([]);
    const { freeBytes: _f, totalBytes: _t, ...mount } = stick;
    expect(changes[1]).toEqual({ inserted: [], removed: [mount], sticks: [] });
    expect(w.status()).toMatchObject({ state: 'not-present', detail: 'No USB stick inserted.' });
  });

  it('gives fresh free space on each sticks() call without calling it a change', () => {
    const { w, table, disks, changes, statuses } = setup();
    table.lines.push(Q3);
    disks.set('/media/EXPORT-Q3', space(3.2));
    w.sticks();
    disks.set('/media/EXPORT-Q3', space(1.5));
    expect(w.sticks()[0]?.freeBytes).toBe(1.5 * GiB);
    expect(changes).toHaveLength(1);
    expect(statuses.map((s) => s.detail)).toEqual(['EXPORT-Q3 (vfat) at /media/EXPORT-Q3: 3.2 GB free', 'EXPORT-Q3 (vfat) at /media/EXPORT-Q3: 1.5 GB free']);
  });

  it('lists several sticks and says read-only', () => {
    const { w, table, disks } = setup();
    table.lines.push(Q3, KINGSTON);
    disks.set('/media/EXPORT-Q3', space(3.2));
    disks.set('/media/KINGSTON', space(12));
    expect(w.sticks().map((s) => [s.label, s.readOnly])).toEqual([['EXPORT-Q3', false], ['KINGSTON', true]]);
    expect(w.status().detail).toBe('2 USB sticks: EXPORT-Q3 (vfat) at /media/EXPORT-Q3: 3.2 GB free; KINGSTON (vfat) at /media/KINGSTON: read-only, 12 GB free');
  });

  it('a stick that stops answering statfs is removed and named in an error status; polling goes on and it can come back', async () => {
    vi.useFakeTimers();
    const { w, table, disks, changes, statuses } = setup({ pollMs: 100 });
    table.lines.push(Q3, KINGSTON);
    disks.set('/media/EXPORT-Q3', space(3.2));
    disks.set('/media/KINGSTON', space(12));
    w.start();
    expect(changes[0]?.inserted.map((s) => s.label)).toEqual(['EXPORT-Q3', 'KINGSTON']);

    disks.set('/media/EXPORT-Q3', ioError('ENOTCONN'));
    await vi.advanceTimersByTimeAsync(100);
    expect(changes[1]).toMatchObject({ inserted: [], removed: [{ label: 'EXPORT-Q3' }], sticks: [{ label: 'KINGSTON' }] });
    expect(w.status()).toMatchObject({
      state: 'error',
      detail: 'EXPORT-Q3 at /media/EXPORT-Q3 cannot be read (ENOTCONN); remove it and insert it again. Also: KINGSTON (vfat) at /media/KINGSTON: read-only, 12 GB free',
    });

    disks.set('/media/EXPORT-Q3', ioError('EIO'));
    await vi.advanceTimersByTimeAsync(100);
    expect(w.status().detail).toContain('(EIO)');

    disks.set('/media/EXPORT-Q3', space(3));
    await vi.advanceTimersByTimeAsync(100);
    expect(changes[2]).toMatchObject({ inserted: [{ label: 'EXPORT-Q3' }], removed: [] });
    expect(w.status().state).toBe('connected');

    table.lines = [BASE];
    await vi.advanceTimersByTimeAsync(100);
    expect(statuses.map((s) => s.state)).toEqual(['connected', 'error', 'error', 'connected', 'not-present']);
  });

  it('a remount read-only is the old stick removed and a read-only one inserted', () => {
    const { w, table, disks, changes } = setup();
    disks.set('/media/EXPORT-Q3', space(3.2));
    table.lines.push(Q3);
    w.sticks();
    table.lines[1] = line(40, '/media/EXPORT-Q3', '/dev/sda1', true);
    w.sticks();
    expect(changes[1]).toMatchObject({ inserted: [{ readOnly: true }], removed: [{ readOnly: false }] });
  });

  it('an unreadable mount table is an error that keeps the last sticks', () => {
    let fail = false;
    const { w, table, disks, changes } = setup({
      readMountinfo: () => {
        if (fail) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return table.lines.join('\n');
      },
    });
    table.lines.push(Q3);
    disks.set('/media/EXPORT-Q3', space(3.2));
    w.sticks();
    fail = true;
    expect(w.sticks().map((s) => s.label)).toEqual(['EXPORT-Q3']);
    expect(w.status()).toMatchObject({ state: 'error', detail: 'Cannot read the mount table (EACCES).' });
    expect(changes).toHaveLength(1);
  });

  it('uses the label lookup, once per device while it stays mounted', () => {
    const labelOf = vi.fn((device: string) => (device === '/dev/sda1' ? 'EXPORT Q3' : null));
    const { w, table, disks } = setup({ labelOf });
    table.lines.push(Q3);
    disks.set('/media/EXPORT-Q3', space(3.2));
    expect(w.sticks()[0]?.label).toBe('EXPORT Q3');
    w.sticks();
    expect(labelOf).toHaveBeenCalledTimes(1);
    table.lines.pop();
    w.sticks();
    table.lines.push(Q3);
    w.sticks();
    expect(labelOf).toHaveBeenCalledTimes(2);
  });

  it('a throwing listener does not stop the others nor the polling', async () => {
    vi.useFakeTimers();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { w, table, disks, changes } = setup({ pollMs: 50 });
    w.onChange(() => {
      throw new Error('listener bug');
    });
    w.start();
    table.lines.push(Q3);
    disks.set('/media/EXPORT-Q3', space(3.2));
    await vi.advanceTimersByTimeAsync(50);
    table.lines.pop();
    await vi.advanceTimersByTimeAsync(50);
    expect(changes.map((c) => [c.inserted.length, c.removed.length])).toEqual([[1, 0], [0, 1]]);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });

  it('calls nobody after stop() or after unsubscribing, and its timer does not hold the process', async () => {
    vi.useFakeTimers();
    const { w, table, disks, changes, statuses } = setup({ pollMs: 50 });
    const late: MediaChange[] = [];
    const unsubscribe = w.onChange((c) => late.push(c));
    w.start();
    unsubscribe();
    table.lines.push(Q3);
    disks.set('/media/EXPORT-Q3', space(3.2));
    w.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(changes).toEqual([]);
    expect(late).toEqual([]);
    expect(w.sticks()).toHaveLength(1); // still answers when asked
    expect(changes).toEqual([]);
    expect(statuses.map((s) => s.state)).toEqual(['not-present']);
  });

  it('the interval timer is unref()ed', () => {
    const unref = vi.fn();
    const spy = vi.spyOn(globalThis, 'setInterval').mockImplementation(() => ({ unref }) as unknown as NodeJS.Timeout);
    const clear = vi.spyOn(globalThis, 'clearInterval').mockImplementation(() => {});
    const { w } = setup();
    w.start();
    expect(unref).toHaveBeenCalled();
    w.stop();
    spy.mockRestore();
    clear.mockRestore();
  });
});
