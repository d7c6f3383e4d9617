// The real thing minus the scanner: socat makes a pseudo-terminal pair, the simulator speaks on one end
// through serialport's real SerialPort, and the real driver on the other end through openSerialLink.
import { afterEach, describe, expect, it } from 'vitest';
import { SerialCradleWatcher, type CradleSessionReport } from '../../../device/opn2004/cradle-watcher.ts';
import { CradleSessionError, runCradleSession, type CradleSessionOptions } from '../../../device/opn2004/driver.ts';
import { openSerialLink, type CradleLink } from '../../../device/opn2004/link.ts';
import { openPtyPair, type PtyPair } from '../../../device/opn2004/pty-pair.ts';
import { CradleSimulator, sampleRecords, type CradleSimulatorOptions } from '../../../device/opn2004/simulator.ts';
import { HOST_NOW, RECORDS, recordingCommit } from './support/session.ts';
import { waitFor } from './support/wait.ts';

/** A little slower than the in-memory tests: real ports, a shared 2-core CI machine. */
const PTY_TIMEOUTS: Pick<CradleSessionOptions, 'replyTimeoutMs' | 'firstReplyTimeoutMs' | 'retries' | 'compatibilityDelayMs'> = {
  replyTimeoutMs: 300,
  firstReplyTimeoutMs: 600,
  retries: 3,
  compatibilityDelayMs: 200,
};

interface PtyCradle {
  pty: PtyPair;
  sim: CradleSimulator;
  /** Opens the box's end; each session closes the one it was given. */
  openHost(): Promise<CradleLink>;
}

const open: { pty: PtyPair; device: CradleLink }[] = [];

afterEach(async () => {
  for (const { pty, device } of open.splice(0)) {
    await device.close();
    await pty.close();
    // No socat left behind.
    expect(() => process.kill(pty.pid, 0)).toThrow();
  }
});

async function ptyCradle(options: CradleSimulatorOptions = {}): Promise<PtyCradle> {
  const pty = await openPtyPair();
  const serial = await openSerialLink(pty.devicePath);
  open.push({ pty, device: serial });
  const sim = new CradleSimulator({ records: RECORDS, now: () => HOST_NOW, ...options });
  // The simulator "unplugs" by closing its link: on a pty that must pull the whole cable, i.e. kill socat.
  sim.serve({ write: (b) => serial.write(b), onData: (cb) => serial.onData(cb), onClose: (cb) => serial.onClose(cb), close: () => pty.unplug() });
  return { pty, sim, openHost: () => openSerialLink(pty.hostPath) };
}

async function session(cradle: PtyCradle, options: Partial<CradleSessionOptions> = {}) {
  const store = options.commit ? null : recordingCommit();
  const host = await cradle.openHost();
  let closed: string | null = null;
  host.onClose((r) => (closed = r));
  const outcome = await runCradleSession(host, { ...PTY_TIMEOUTS, now: () => HOST_NOW, commit: store!?.commit, ...options }).then(
    (result) => ({ result, error: null }),
    (error: unknown) => ({ result: null, error: error as CradleSessionError }),
  );
  return { ...outcome, commits: store?.calls ?? [], closed: () => closed };
}

describe('driver and simulator over a real pty', () => {
  it('happy path: records, clock offset, clock set, cleared after commit', async () => {
    const cradle = await ptyCradle({ clockOffsetMs: -125_000 });
    let memoryAtCommit = -1;
    const store = recordingCommit();
    const { result, closed } = await session(cradle, {
      commit: (u) => {
        memoryAtCommit = cradle.sim.records.length;
        return store.commit(u);
      },
    });
    expect(result).toMatchObject({
      outcome: 'cleared',
      cleared: true,
      deviceId: '4711081519000001',
      serial: '000001',
      firmware: 'RBBV0014',
      clockOffsetMs: -125_000,
      scannerClock: '2026-03-16T08:57:55.000Z',
      clockSet: true,
    });
    expect(result!.records.map((r) => [r.text, r.symbology, r.scannerTime, r.correctedTime])).toEqual([
      ['LT-00001', 'Code 128', '2026-03-15T14:21:33.000Z', '2026-03-15T14:23:38.000Z'],
      ['CASE-13', 'Code 39', '2026-03-15T14:21:40.000Z', '2026-03-15T14:23:45.000Z'],
      ['LT-00002', 'Code 128', '2026-03-15T14:22:05.000Z', '2026-03-15T14:24:10.000Z'],
    ]);
    expect(memoryAtCommit).toBe(3);
    expect(cradle.sim.records).toEqual([]);
    expect(cradle.sim.clock().toISOString()).toBe(HOST_NOW.toISOString());
    expect(cradle.sim.requests).toEqual(['interrogate', 'getClock', 'setClock', 'upload', 'clear', 'powerDown']);
    expect(closed()).toBe('closed');
  });

  it('commit failure: no clear, memory intact, the next session returns the same records and keys', async () => {
    const cradle = await ptyCradle();
    const first = await session(cradle, { commit: async () => { throw new Error('database is locked'); } });
    expect(first.result).toMatchObject({ outcome: 'not-committed', cleared: false });
    expect(cradle.sim.requests).not.toContain('clear');
    expect(cradle.sim.records).toHaveLength(3);

    const second = await session(cradle);
    expect(second.result?.outcome).toBe('cleared');
    expect(second.result!.records.map((r) => r.key)).toEqual(first.result!.records.map((r) => r.key));
  });

  it('clear failure: the same records come again with the same keys, and are recognised', async () => {
    const cradle = await ptyCradle({ faults: { failClear: 'silent' } });
    const stored = new Set<string>();
    const first = await session(cradle, { commit: recordingCommit('store', stored).commit, retries: 1 });
    expect(first.result).toMatchObject({ outcome: 'clear-failed', cleared: false });
    expect(first.result!.message).toContain('did not answer clear');
    const second = await session(cradle, { commit: recordingCommit('store', stored).commit, retries: 1 });
    expect(second.result!.records.map((r) => r.key)).toEqual(first.result!.records.map((r) => r.key));
    expect(second.result!.commit).toEqual({ committed: true, recorded: 0, alreadyRecorded: 3 });
  });

  it('temporary error on the first interrogate: waits, asks again, uploads', async () => {
    const cradle = await ptyCradle({ faults: { temporaryErrors: 1 } });
    const started = performance.now();
    const { result } = await session(cradle);
    expect(performance.now() - started).toBeGreaterThanOrEqual(PTY_TIMEOUTS.compatibilityDelayMs! - 10);
    expect(cradle.sim.requests.slice(0, 2)).toEqual(['interrogate', 'interrogate']);
    expect(result?.outcome).toBe('cleared');
  });

  it('bad CRC on the first upload: discarded whole, recovered by a retry', async () => {
    const cradle = await ptyCradle({ faults: { badCrc: { upload: 1 } } });
    const { result, commits } = await session(cradle);
    expect(cradle.sim.requests.filter((r) => r === 'upload')).toHaveLength(2);
    expect(commits).toHaveLength(1);
    expect(result?.records).toHaveLength(3);
  });

  it('bad CRC every time: a clear failure message, commit never called, memory intact', async () => {
    const cradle = await ptyCradle({ faults: { badCrc: { upload: Infinity } } });
    const { error, commits, closed } = await session(cradle);
    expect(error?.failure).toBe('corrupt');
    expect(error?.message).toMatch(/^The scanner's reply to upload was damaged \(4 attempts; last: CRC mismatch/);
    expect(commits).toHaveLength(0);
    expect(cradle.sim.records).toHaveLength(3);
    expect(closed()).toBe('closed');
  });

  it('truncated stream: retried; truncated every time: fails as truncated', async () => {
    const once = await ptyCradle({ faults: { truncateUploads: 1 } });
    expect((await session(once)).result?.outcome).toBe('cleared');

    const always = await ptyCradle({ faults: { truncateUploads: Infinity } });
    const { error, commits } = await session(always, { retries: 1 });
    expect(error?.failure).toBe('corrupt');
    expect(error?.message).toContain('truncated');
    expect(commits).toHaveLength(0);
  });

  it('no reply at all: a timeout error within bounded time', async () => {
    const cradle = await ptyCradle({ faults: { noReply: { interrogate: Infinity } } });
    const started = performance.now();
    const { error, commits } = await session(cradle);
    const elapsed = performance.now() - started;
    expect(error?.failure).toBe('timeout');
    expect(error?.message).toBe('The scanner did not answer interrogate (4 attempts, 300 ms each).');
    expect(elapsed).toBeGreaterThanOrEqual(1400); // 600 + 3 × 300
    expect(elapsed).toBeLessThan(3500);
    expect(commits).toHaveLength(0);
  });

  it('the scanner pulled mid-upload (socat gone): clean error, port closed, no commit', async () => {
    const cradle = await ptyCradle({ records: sampleRecords(80), faults: { unplugAfterUploadBytes: 400 } });
    const { error, commits, closed } = await session(cradle);
    expect(error?.failure).toBe('unplugged');
    // socat may die before it forwards the last bytes, so the count of scans seen is not fixed.
    expect(error?.message).toMatch(/^The scanner was undocked during the upload( \(after \d+ scans? had arrived\))?; nothing was stored/);
    expect(closed()).toMatch(/went away/);
    expect(commits).toHaveLength(0);
    expect(cradle.sim.records).toHaveLength(80);
  });

  it('killing socat while the records stream in ends the session the same way', async () => {
    const cradle = await ptyCradle({ records: sampleRecords(300), baud: 9600 });
    let killedAt = -1;
    const { error, commits, closed } = await session(cradle, {
      commit: recordingCommit().commit,
      onProgress: (p) => {
        if (p.phase === 'uploading' && p.records >= 10 && killedAt < 0) {
          killedAt = p.records;
          void cradle.pty.unplug();
        }
      },
    });
    expect(killedAt).toBeGreaterThanOrEqual(10);
    expect(error?.failure).toBe('unplugged');
    expect(closed()).toMatch(/went away/);
    expect(commits).toHaveLength(0);
  });
});

describe('SerialCradleWatcher over a real pty', () => {
  it('finds the pinned port, uploads once, and reports Not docked when the cable is pulled', async () => {
    const cradle = await ptyCradle();
    const reports: CradleSessionReport[] = [];
    const store = recordingCommit();
    const watcher = new SerialCradleWatcher({ commit: store.commit, path: cradle.pty.hostPath, pollMs: 50, timeouts: PTY_TIMEOUTS, now: () => HOST_NOW });
    watcher.onSession((r) => reports.push(r));
    watcher.start();
    try {
      await waitFor('the session', () => reports.length === 1);
      expect(watcher.status()).toMatchObject({ state: 'connected', detail: 'Uploaded 3 scans, memory cleared' });
      expect(store.calls).toHaveLength(1);
      await cradle.pty.unplug();
      await waitFor('Not docked', () => watcher.status().detail === 'Not docked');
      expect(watcher.status().state).toBe('not-present');
    } finally {
      await watcher.stop();
    }
  });
});

describe('openSerialLink over a pty', () => {
  it('carries bytes both ways and reports the pulled cable on both ends', async () => {
    const pty = await openPtyPair();
    const a = await openSerialLink(pty.hostPath);
    const b = await openSerialLink(pty.devicePath);
    try {
      const got: number[] = [];
      b.onData((chunk) => got.push(...chunk));
      await a.write(Uint8Array.of(0x01, 0x02, 0x00, 0x9f, 0xde));
      await waitFor('the bytes', () => got.length === 5);
      expect(got).toEqual([0x01, 0x02, 0x00, 0x9f, 0xde]);

      const reasons: string[] = [];
      a.onClose((r) => reasons.push(`host: ${r}`));
      b.onClose((r) => reasons.push(`device: ${r}`));
      const pulled = performance.now();
      await pty.unplug();
      await waitFor('both ends closed', () => reasons.length === 2, 2000);
      expect(performance.now() - pulled).toBeLessThan(1000);
      for (const r of reasons) expect(r).toMatch(/went away/);
      await expect(a.write(Uint8Array.of(1))).rejects.toThrow(/cannot write/);
    } finally {
      await a.close();
      await b.close();
      await pty.close();
    }
  });
});
