// Shared set-up for driver tests: a simulator and the real driver joined by some CradleLink pair, with
// a commit that records what it was given and can be told to fail.
import type { CommitResult, CradleSessionOptions, CradleUpload } from '../../../../device/opn2004/driver.ts';
import type { SimulatedRecord } from '../../../../device/opn2004/simulator.ts';

/** Short timeouts so failure paths finish in well under a second. */
export const FAST: Pick<CradleSessionOptions, 'replyTimeoutMs' | 'firstReplyTimeoutMs' | 'retries' | 'compatibilityDelayMs'> = {
  replyTimeoutMs: 150,
  firstReplyTimeoutMs: 300,
  retries: 3,
  compatibilityDelayMs: 100,
};

export const HOST_NOW = new Date('2026-03-16T09:00:00.000Z');

export const RECORDS: SimulatedRecord[] = [
  { text: 'LT-00001', symbologyId: 0x03, time: new Date('2026-03-15T14:21:33Z') },
  { text: 'CASE-13', symbologyId: 0x01, time: new Date('2026-03-15T14:21:40Z') },
  { text: 'LT-00002', symbologyId: 0x03, time: new Date('2026-03-15T14:22:05Z') },
];

export interface RecordingCommit {
  commit: (upload: CradleUpload) => Promise<CommitResult>;
  calls: CradleUpload[];
}

/** A commit that stores by record key, as the appliance does; `fail` makes it throw instead. */
export function recordingCommit(behaviour: 'store' | 'throw' | 'refuse' = 'store', stored = new Set<string>()): RecordingCommit {
  const calls: CradleUpload[] = [];
  return {
    calls,
    async commit(upload) {
      calls.push(upload);
      if (behaviour === 'throw') throw new Error('disk full');
      if (behaviour === 'refuse') return { committed: false, reason: 'store is read-only' };
      let recorded = 0;
      for (const r of upload.records) {
        if (!stored.has(r.key)) recorded++;
        stored.add(r.key);
      }
      return { committed: true, recorded, alreadyRecorded: upload.records.length - recorded };
    },
  };
}
