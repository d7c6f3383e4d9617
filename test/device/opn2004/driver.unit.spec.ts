// The driver against the simulator over an in-memory link: every host-sequence rule and failure path.
import { describe, expect, it } from 'vitest';
import {
  CradleSessionError,
  runCradleSession,
  type CradleProgress,
  type CradleSessionOptions,
} from '../../../device/opn2004/driver.ts';
import { createLinkPair } from '../../../device/opn2004/link.ts';
import { CradleSimulator, sampleRecords, type CradleSimulatorOptions } from '../../../device/opn2004/simulator.ts';
import { FAST, HOST_NOW, RECORDS, recordingCommit } from './support/session.ts';

function dock(simulator: CradleSimulator) {
  const { host, device } = createLinkPair();
  simulator.serve(device);
  let closedWith: string | null = null;
  host.onClose((reason) => (closedWith = reason));
  return { host, closed: () => closedWith };
}

function simulator(options: CradleSimulatorOptions = {}) {
  return new CradleSimulator({ records: RECORDS, now: () => HOST_NOW, ...options });
}

function session(sim: CradleSimulator, options: Partial<CradleSessionOptions> & Pick<CradleSessionOptions, 'commit'>) {
  const docked = dock(sim);
  return { docked, result: runCradleSession(docked.host, { now: () => HOST_NOW, ...FAST, ...options }) };
}

async function failure(promise: Promise<unknown>): Promise<CradleSessionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CradleSessionError);
  return error as CradleSessionError;
}

describe('happy path', () => {
  it('reads id and clock, sets the clock, uploads, commits, then clears and powers down', async () => {
    const sim = simulator({ clockOffsetMs: 90_000 });
    let memoryAtCommit = -1;
    const store = recordingCommit();
    const { docked, result } = session(sim, {
      commit: (upload) => {
        memoryAtCommit = sim.records.length;
        return store.commit(upload);
      },
    });
    const r = await result;

    expect(sim.requests).toEqual(['interrogate', 'getClock', 'setClock', 'upload', 'clear', 'powerDown']);
    expect(memoryAtCommit).toBe(3); // not cleared before the box had stored them
    expect(sim.records).toEqual([]);
    expect(sim.clock().toISOString()).toBe(HOST_NOW.toISOString());
    expect(r).toMatchObject({
      outcome: 'cleared',
      cleared: true,
      deviceId: '4711081519000001',
      serial: '000001',
      firmware: 'RBBV0014',
      scannerClock: '2026-03-16T09:01:30.000Z',
      hostClockAt: HOST_NOW.toISOString(),
      clockOffsetMs: 90_000,
      clockSet: true,
      commit: { committed: true, recorded: 3, alreadyRecorded: 0 },
      message: 'Uploaded 3 scans, memory cleared.',
    });
    expect(r.records.map(({ key: _key, ...rest }) => rest)).toEqual([
      {
        index: 0, text: 'LT-00001', rawHex: '4c542d3030303031', symbologyId: 3, symbology: 'Code 128',
        packedTimestamp: r.records[0]!.packedTimestamp, scannerTime: '2026-03-15T14:21:33.000Z',
        correctedTime: '2026-03-15T14:20:03.000Z', occurrence: 1,
      },
      {
        index: 1, text: 'CASE-13', rawHex: '434153452d3133', symbologyId: 1, symbology: 'Code 39',
        packedTimestamp: 0xa1573cda, scannerTime: '2026-03-15T14:21:40.000Z', correctedTime: '2026-03-15T14:20:10.000Z',
        occurrence: 1,
      },
      {
        index: 2, text: 'LT-00002', rawHex: '4c542d3030303032', symbologyId: 3, symbology: 'Code 128',
        packedTimestamp: r.records[2]!.packedTimestamp, scannerTime: '2026-03-15T14:22:05.000Z',
        correctedTime: '2026-03-15T14:20:35.000Z', occurrence: 1,
      },
    ]);
    expect(store.calls).toHaveLength(1);
    expect(docked.closed()).toBe('closed');
  });

  it('a scanner that is slow but within the timeout is fine', async () => {
    const sim = simulator({ faults: { replyDelayMs: 60 } });
    const r = await session(sim, { commit: recordingCommit().commit }).result;
    expect(r.outcome).toBe('cleared');
  });

  it('reports upload progress as records arrive, ending at the full count', async () => {
    const sim = simulator({ records: sampleRecords(200, { start: new Date('2026-03-15T08:00:00Z') }), splitWrites: 1 });
    const progress: CradleProgress[] = [];
    const r = await session(sim, { commit: recordingCommit().commit, onProgress: (p) => progress.push(p) }).result;
    const uploading = progress.filter((p) => p.phase === 'uploading');
    expect(uploading.length).toBeGreaterThan(5);
    for (let i = 1; i < uploading.length; i++) expect(uploading[i]!.records).toBeGreaterThanOrEqual(uploading[i - 1]!.records);
    expect(uploading.at(-1)).toMatchObject({ records: 200, bytes: r.uploadBytes });
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['waking', 'reading-clock', 'setting-clock', 'committing', 'clearing']));
  });

  it('an empty scanner is neither committed nor cleared', async () => {
    const store = recordingCommit();
    const r = await session(simulator({ records: [] }), { commit: store.commit }).result;
    expect(r).toMatchObject({ outcome: 'empty', cleared: false, records: [] });
    expect(store.calls).toHaveLength(0);
  });
});

describe('record identity', () => {
  it('two identical scans get occurrence 1 and 2 and different keys', async () => {
    const twice = [RECORDS[0]!, RECORDS[0]!, RECORDS[1]!];
    const r = await session(simulator({ records: twice }), { commit: recordingCommit().commit }).result;
    expect(r.records.map((x) => x.occurrence)).toEqual([1, 2, 1]);
    expect(new Set(r.records.map((x) => x.key)).size).toBe(3);
  });
});

describe('commit decides whether the scanner is cleared', () => {
  it.each(['throw', 'refuse'] as const)('a commit that %ss leaves the memory intact; the next dock brings the same keys', async (behaviour) => {
    const sim = simulator();
    const failing = recordingCommit(behaviour);
    const first = await session(sim, { commit: failing.commit }).result;
    expect(first).toMatchObject({ outcome: 'not-committed', cleared: false });
    expect(first.message).toContain(behaviour === 'throw' ? 'disk full' : 'read-only');
    expect(sim.requests).not.toContain('clear');
    expect(sim.records).toHaveLength(3);

    const second = await session(sim, { commit: recordingCommit().commit }).result;
    expect(second.outcome).toBe('cleared');
    expect(second.records.map((x) => x.key)).toEqual(first.records.map((x) => x.key));
  });
});

describe('clear failures', () => {
  it.each(['silent', 'nak'] as const)('a clear that fails (%s) keeps the memory; the re-upload has the same keys and is recognised', async (mode) => {
    const sim = simulator({ clockOffsetMs: -3_600_000, faults: { failClear: mode } });
    const stored = new Set<string>();
    const first = await session(sim, { commit: recordingCommit('store', stored).commit }).result;
    expect(first).toMatchObject({ outcome: 'clear-failed', cleared: false });
    expect(first.message).toMatch(mode === 'silent' ? /did not answer clear/ : /refused clear/);
    expect(sim.records).toHaveLength(3);

    const second = await session(sim, { commit: recordingCommit('store', stored).commit }).result;
    expect(second.records.map((x) => x.key)).toEqual(first.records.map((x) => x.key));
    expect(second.commit).toEqual({ committed: true, recorded: 0, alreadyRecorded: 3 });
    // The clock was corrected in between: the corrected times move, the identity does not.
    expect(first.clockOffsetMs).toBe(-3_600_000);
    expect(second.clockOffsetMs).toBe(0);
  });
});

describe('waking the scanner', () => {
  it('on "temporary error" waits the compatibility delay and interrogates again', async () => {
    const sim = simulator({ faults: { temporaryErrors: 1 } });
    const started = performance.now();
    const r = await session(sim, { commit: recordingCommit().commit, compatibilityDelayMs: 250 }).result;
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(sim.requests.slice(0, 3)).toEqual(['interrogate', 'interrogate', 'getClock']);
    expect(r.outcome).toBe('cleared');
  });

  it('retries an interrogate that got no answer', async () => {
    const sim = simulator({ faults: { noReply: { interrogate: 2 } } });
    const r = await session(sim, { commit: recordingCommit().commit }).result;
    expect(sim.requests.filter((x) => x === 'interrogate')).toHaveLength(3);
    expect(r.outcome).toBe('cleared');
  });

  it('a scanner that never answers fails with a timeout after 1 + retries attempts, within bounded time', async () => {
    const sim = simulator({ faults: { noReply: { interrogate: Infinity } } });
    const store = recordingCommit();
    const started = performance.now();
    const { docked, result } = session(sim, { commit: store.commit });
    const error = await failure(result);
    const elapsed = performance.now() - started;
    expect(error.failure).toBe('timeout');
    expect(error.message).toBe('The scanner did not answer interrogate (4 attempts, 150 ms each).');
    expect(sim.requests).toEqual(['interrogate', 'interrogate', 'interrogate', 'interrogate']);
    // first 300 ms + 3 × 150 ms + settling, far from unbounded
    expect(elapsed).toBeGreaterThanOrEqual(740);
    expect(elapsed).toBeLessThan(2000);
    expect(store.calls).toHaveLength(0);
    expect(docked.closed()).toBe('closed');
  });

  it('a reply slower than the timeout counts as no reply', async () => {
    const sim = simulator({ faults: { replyDelayMs: 400 } });
    const error = await failure(session(sim, { commit: recordingCommit().commit, retries: 1 }).result);
    expect(error.failure).toBe('timeout');
  });
});

describe('damaged uploads', () => {
  it('a bad CRC is discarded whole and the retry is used', async () => {
    const sim = simulator({ faults: { badCrc: { upload: 1 } } });
    const store = recordingCommit();
    const r = await session(sim, { commit: store.commit }).result;
    expect(sim.requests.filter((x) => x === 'upload')).toHaveLength(2);
    expect(store.calls).toHaveLength(1);
    expect(r.records).toHaveLength(3);
  });

  it('a bad CRC every time fails clearly; commit is never called and the scanner keeps its scans', async () => {
    const sim = simulator({ faults: { badCrc: { upload: Infinity } } });
    const store = recordingCommit();
    const { docked, result } = session(sim, { commit: store.commit });
    const error = await failure(result);
    expect(error.failure).toBe('corrupt');
    expect(error.message).toMatch(/^The scanner's reply to upload was damaged \(4 attempts; last: CRC mismatch/);
    expect(store.calls).toHaveLength(0);
    expect(sim.requests).not.toContain('clear');
    expect(sim.records).toHaveLength(3);
    expect(docked.closed()).toBe('closed');
  });

  it('a truncated stream is retried', async () => {
    const sim = simulator({ faults: { truncateUploads: 2 } });
    const r = await session(sim, { commit: recordingCommit().commit }).result;
    expect(sim.requests.filter((x) => x === 'upload')).toHaveLength(3);
    expect(r.outcome).toBe('cleared');
  });

  it('a stream truncated every time fails as truncated, storing nothing', async () => {
    const sim = simulator({ faults: { truncateUploads: Infinity } });
    const store = recordingCommit();
    const error = await failure(session(sim, { commit: store.commit }).result);
    expect(error.failure).toBe('corrupt');
    expect(error.message).toContain('truncated');
    expect(store.calls).toHaveLength(0);
  });

  it('damaged get clock replies are retried too', async () => {
    const sim = simulator({ faults: { badCrc: { getClock: 2 } } });
    const r = await session(sim, { commit: recordingCommit().commit }).result;
    expect(sim.requests.filter((x) => x === 'getClock')).toHaveLength(3);
    expect(r.outcome).toBe('cleared');
  });

  it('a scanner that will not take the clock is still uploaded', async () => {
    const sim = simulator({ clockOffsetMs: 5000, faults: { noReply: { setClock: Infinity } } });
    const r = await session(sim, { commit: recordingCommit().commit, retries: 1 }).result;
    expect(r).toMatchObject({ clockSet: false, outcome: 'cleared', clockOffsetMs: 5000 });
  });
});

describe('unplug and stop', () => {
  it('undocking mid-upload ends the session with a clear error: no commit, link closed, memory intact', async () => {
    const sim = simulator({ records: sampleRecords(50), faults: { unplugAfterUploadBytes: 300 } });
    const store = recordingCommit();
    const { docked, result } = session(sim, { commit: store.commit });
    const error = await failure(result);
    expect(error.failure).toBe('unplugged');
    expect(error.message).toMatch(/^The scanner was undocked during the upload \(after \d+ scans had arrived\); nothing was stored and the scanner kept its scans\.$/);
    expect(store.calls).toHaveLength(0);
    expect(docked.closed()).not.toBeNull();
    expect(sim.records).toHaveLength(50);
  });

  it('an abort signal stops the session', async () => {
    const sim = simulator({ faults: { noReply: { interrogate: Infinity } } });
    const controller = new AbortController();
    const { result } = session(sim, { commit: recordingCommit().commit, signal: controller.signal, firstReplyTimeoutMs: 10_000 });
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const error = await failure(result);
    expect(error.failure).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
