// The watcher: finding the cradle by vendor id, one session per docking, statuses for the screen, and the
// simulated variant the developer panel docks by hand.
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../device/device-status.ts';
import {
  SerialCradleWatcher,
  SimulatedCradleWatcher,
  findCradlePort,
  type CradleSessionReport,
  type CradleWatcherOptions,
} from '../../../device/opn2004/cradle-watcher.ts';
import { CradleSimulator, sampleRecords, type CradleSimulatorOptions } from '../../../device/opn2004/simulator.ts';
import { createMockPort, openMockCradle } from './support/mock-cradle.ts';
import { FAST, RECORDS, recordingCommit } from './support/session.ts';
import { waitFor } from './support/wait.ts';

const watchers: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.stop()));
  SerialPortMock.binding.reset();
});

/** A watcher on the mock binding whose docked scanner is `sim`. */
function mockWatcher(sim: CradleSimulator, options: Partial<CradleWatcherOptions> = {}) {
  const statuses: DeviceStatus[] = [];
  const reports: CradleSessionReport[] = [];
  const store = recordingCommit();
  const watcher = new SerialCradleWatcher({
    commit: store.commit,
    pollMs: 20,
    timeouts: FAST,
    listPorts: () => SerialPortMock.list(),
    openLink: async (path) => {
      const cradle = await openMockCradle(path);
      sim.serve(cradle.device);
      return cradle.host;
    },
    ...options,
  });
  watcher.onStatus((s) => statuses.push(s));
  watcher.onSession((r) => reports.push(r));
  watchers.push(watcher);
  return { watcher, statuses, reports, store };
}

function simulator(options: CradleSimulatorOptions = {}) {
  return new CradleSimulator({ records: RECORDS, ...options });
}

describe('findCradlePort', () => {
  it("matches Opticon's vendor id 065a in any case and ignores other ports", () => {
    const ports = [{ path: '/dev/ttyS0' }, { path: '/dev/ttyUSB0', vendorId: '0403' }, { path: '/dev/ttyACM0', vendorId: '065A' }];
    expect(findCradlePort(ports)?.path).toBe('/dev/ttyACM0');
    expect(findCradlePort([{ path: '/dev/ttyUSB1', vendorId: '065a' }])?.path).toBe('/dev/ttyUSB1');
    expect(findCradlePort(ports.slice(0, 2))).toBeNull();
  });
});

describe('SerialCradleWatcher', () => {
  it('reports Not docked, then one session per docking with busy and result statuses', async () => {
    const sim = simulator();
    const { watcher, statuses, reports, store } = mockWatcher(sim);
    expect(watcher.status()).toMatchObject({ id: 'cradle', kind: 'OPN-2004 cradle', state: 'not-present', detail: 'Not docked', simulated: false });
    watcher.start();
    await new Promise((r) => setTimeout(r, 60));
    expect(store.calls).toHaveLength(0);

    createMockPort('/dev/ttyACM0', '065A');
    await waitFor('the first session', () => reports.length === 1);
    expect(reports[0]).toMatchObject({ ok: true, result: { outcome: 'cleared' } });
    expect(watcher.status()).toMatchObject({ state: 'connected', detail: 'Uploaded 3 scans, memory cleared' });
    expect(statuses.some((s) => s.state === 'busy' && s.detail === 'Docked: waking the scanner')).toBe(true);

    // Still docked: no second session.
    await new Promise((r) => setTimeout(r, 100));
    expect(reports).toHaveLength(1);

    SerialPortMock.binding.reset();
    await waitFor('undocked status', () => watcher.status().detail === 'Not docked');
    expect(watcher.status().state).toBe('not-present');

    sim.addRecords(sampleRecords(5));
    createMockPort('/dev/ttyACM0', '065a');
    await waitFor('the second session', () => reports.length === 2);
    expect(store.calls.map((c) => c.records.length)).toEqual([3, 5]);
  });

  it('shows upload progress as a count of received scans', async () => {
    const sim = simulator({ records: sampleRecords(400), splitWrites: 1 });
    const { watcher, statuses, reports } = mockWatcher(sim);
    watcher.start();
    createMockPort('/dev/ttyACM0');
    await waitFor('the session', () => reports.length === 1);
    const uploading = statuses.filter((s) => /^Uploading: \d+ scans received$/.test(s.detail));
    expect(uploading.length).toBeGreaterThan(0);
    expect(watcher.status().detail).toBe('Uploaded 400 scans, memory cleared');
  });

  it('a port listing that throws (no udev) is a status, not a crash, and polling goes on', async () => {
    let fail = true;
    const sim = simulator();
    const { watcher, reports } = mockWatcher(sim, {
      listPorts: async () => {
        if (fail) throw new Error('udevadm: not found');
        return SerialPortMock.list();
      },
    });
    watcher.start();
    await waitFor('an error status', () => watcher.status().state === 'error');
    expect(watcher.status().detail).toBe('Cannot look for the cradle: udevadm: not found (serial port listing needs udev)');
    fail = false;
    await waitFor('recovery', () => watcher.status().detail === 'Not docked');
    createMockPort('/dev/ttyACM0');
    await waitFor('a session', () => reports.length === 1);
  });

  it('a pinned path is checked directly and the port list is never consulted', async () => {
    createMockPort('/dev/cradle');
    let listed = 0;
    let exists = false;
    const sim = simulator();
    const { watcher, reports } = mockWatcher(sim, {
      path: '/dev/cradle',
      pathExists: (p) => exists && p === '/dev/cradle',
      listPorts: async () => {
        listed++;
        return [];
      },
    });
    watcher.start();
    await new Promise((r) => setTimeout(r, 60));
    expect(reports).toHaveLength(0);
    exists = true;
    await waitFor('a session', () => reports.length === 1);
    expect(listed).toBe(0);
  });

  it('a failed session keeps its sentence after the scanner is pulled, until the next docking', async () => {
    const sim = simulator({ records: sampleRecords(60), faults: { unplugAfterUploadBytes: 250 } });
    const { watcher, reports } = mockWatcher(sim);
    watcher.start();
    createMockPort('/dev/ttyACM0');
    await waitFor('the session', () => reports.length === 1);
    expect(watcher.status().state).toBe('disconnected');
    expect(watcher.status().detail).toMatch(/^The scanner was undocked during the upload.*; nothing was stored and the scanner kept its scans$/);
    SerialPortMock.binding.reset();
    await new Promise((r) => setTimeout(r, 100));
    expect(watcher.status().state).toBe('disconnected');

    createMockPort('/dev/ttyACM0');
    await waitFor('the next session', () => reports.length === 2);
    expect(watcher.status()).toMatchObject({ state: 'connected', detail: 'Uploaded 60 scans, memory cleared' });
  });

  it('a commit that fails is an error status and the scanner is not cleared', async () => {
    const sim = simulator();
    const { watcher, reports } = mockWatcher(sim, { commit: async () => ({ committed: false, reason: 'store is read-only' }) });
    watcher.start();
    createMockPort('/dev/ttyACM0');
    await waitFor('the session', () => reports.length === 1);
    expect(watcher.status()).toMatchObject({ state: 'error', detail: 'Received 3 scans but could not store them (store is read-only); the scanner kept them' });
    expect(sim.records).toHaveLength(3);
  });

  it('stop() ends a running session and the polling', async () => {
    const sim = simulator({ faults: { noReply: { interrogate: Infinity } } });
    let listed = 0;
    const { watcher, reports } = mockWatcher(sim, {
      timeouts: { ...FAST, firstReplyTimeoutMs: 30_000, replyTimeoutMs: 30_000 },
      listPorts: () => {
        listed++;
        return SerialPortMock.list();
      },
    });
    watcher.start();
    createMockPort('/dev/ttyACM0');
    await waitFor('busy', () => watcher.status().state === 'busy');
    const started = performance.now();
    await watcher.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(reports[0]).toMatchObject({ ok: false, error: { failure: 'aborted' } });
    const listedAtStop = listed;
    await new Promise((r) => setTimeout(r, 80));
    expect(listed).toBe(listedAtStop);
  });
});

describe('SimulatedCradleWatcher', () => {
  it('dock() runs the real driver against the simulated scanner', async () => {
    const store = recordingCommit();
    const watcher = new SimulatedCradleWatcher({ commit: store.commit, timeouts: FAST, sampleSize: 7 });
    watchers.push(watcher);
    expect(watcher.status()).toMatchObject({ state: 'not-present', simulated: true });
    const report = await watcher.dock();
    expect(report).toMatchObject({ ok: true, result: { outcome: 'cleared', deviceId: '4711081519000001' } });
    expect(store.calls[0]!.records).toHaveLength(7);
    expect(watcher.status()).toMatchObject({ state: 'connected', detail: 'Uploaded 7 scans, memory cleared', simulated: true });
    expect(watcher.scanner.records).toEqual([]);
    await watcher.undock();
    expect(watcher.status().detail).toBe('Not docked');
  });

  it('the scanner keeps its memory between dockings when the clear fails', async () => {
    const stored = new Set<string>();
    const watcher = new SimulatedCradleWatcher({
      commit: recordingCommit('store', stored).commit,
      timeouts: { ...FAST, retries: 0 },
      simulator: { faults: { failClear: 'nak' } },
    });
    watchers.push(watcher);
    const first = await watcher.dock(RECORDS);
    expect(watcher.status().state).toBe('error');
    const second = await watcher.dock([]);
    if (!first.ok || !second.ok) throw new Error('sessions should have uploaded');
    expect(second.result.records.map((r) => r.key)).toEqual(first.result.records.map((r) => r.key));
    expect(second.result.commit).toEqual({ committed: true, recorded: 0, alreadyRecorded: 3 });
  });

  it('undock() mid-upload is an unplug', async () => {
    const store = recordingCommit();
    const watcher = new SimulatedCradleWatcher({ commit: store.commit, timeouts: FAST, simulator: { baud: 9600 } });
    watchers.push(watcher);
    watcher.onProgress((p) => {
      if (p.phase === 'uploading' && p.records >= 3) void watcher.undock();
    });
    const report = await watcher.dock(sampleRecords(100));
    expect(report).toMatchObject({ ok: false, error: { failure: 'unplugged' } });
    expect(watcher.status().state).toBe('disconnected');
    expect(store.calls).toHaveLength(0);
    expect(watcher.scanner.records).toHaveLength(100);
  });
});
