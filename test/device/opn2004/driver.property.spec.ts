// Fuzzing the driver: a scanner that answers the upload with random or damaged bytes never gets anything
// committed unless the bytes are a well-formed upload, and the session only ever fails with a
// CradleSessionError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CradleSessionError, runCradleSession, type CradleUpload } from '../../../device/opn2004/driver.ts';
import { ACK, OPCODE, buildFrame, readFrame, toHex } from '../../../device/opn2004/frame.ts';
import { createLinkPair, type CradleLink } from '../../../device/opn2004/link.ts';
import { encodeClockFields, scannerTimeFromDate } from '../../../device/opn2004/timestamp.ts';
import { parseUpload } from '../../../device/opn2004/upload.ts';
import { mutate, mutationArb, split, splitsArb } from './support/mutate.ts';
import { INTERROGATE_LISTING, UPLOAD_VECTOR } from './support/vectors.ts';

const NOW = new Date('2026-03-16T09:00:00Z');

/** A scanner that answers correctly except for the upload, which gets `uploadReply` split into `sizes`. */
function scriptedScanner(link: CradleLink, uploadReply: Uint8Array, sizes: readonly number[]): void {
  let pending = new Uint8Array(0);
  link.onData(async (chunk) => {
    pending = Uint8Array.from([...pending, ...chunk]);
    const read = readFrame(pending);
    if (read.kind !== 'frame') return;
    pending = new Uint8Array(0);
    const reply =
      read.frame.code === OPCODE.interrogate ? INTERROGATE_LISTING // with the doc's stray trailing byte
      : read.frame.code === OPCODE.getClock ? buildFrame(ACK, encodeClockFields(scannerTimeFromDate(NOW)))
      : read.frame.code === OPCODE.setClock ? buildFrame(ACK, read.frame.payload)
      : read.frame.code === OPCODE.upload ? uploadReply
      : buildFrame(ACK);
    for (const piece of split(reply, sizes)) await link.write(piece).catch(() => {});
  });
}

async function sessionWith(uploadReply: Uint8Array, sizes: readonly number[]) {
  const { host, device } = createLinkPair();
  scriptedScanner(device, uploadReply, sizes);
  const commits: CradleUpload[] = [];
  const outcome = await runCradleSession(host, {
    now: () => NOW,
    replyTimeoutMs: 25,
    firstReplyTimeoutMs: 50,
    retries: 1,
    commit: async (upload) => {
      commits.push(upload);
      return { committed: true, recorded: upload.records.length, alreadyRecorded: 0 };
    },
  }).then(
    (result) => ({ result, error: null }),
    (error: unknown) => ({ result: null, error }),
  );
  return { ...outcome, commits };
}

describe('driver under fuzz', () => {
  it('mutated uploads: commit sees exactly the records of a well-formed stream, or nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), splitsArb, async (mutations, sizes) => {
        const reply = mutate(UPLOAD_VECTOR, mutations);
        const expected = parseUpload(reply);
        const { result, error, commits } = await sessionWith(reply, sizes);
        if (expected.state === 'complete' && expected.reply.deviceId === '4711081519000001') {
          expect(error).toBeNull();
          expect(commits).toHaveLength(1);
          expect(commits[0]!.records.map((r) => r.rawHex)).toEqual(expected.reply.scans.map((s) => toHex(s.data)));
          expect(result?.records).toHaveLength(expected.reply.scans.length);
        } else {
          expect(error).toBeInstanceOf(CradleSessionError);
          expect(commits).toHaveLength(0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('random bytes as the upload never reach commit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 120 }), splitsArb, async (reply, sizes) => {
        const { error, commits } = await sessionWith(reply, sizes);
        if (parseUpload(reply).state !== 'complete') {
          expect(error).toBeInstanceOf(CradleSessionError);
          expect(commits).toHaveLength(0);
        }
      }),
      { numRuns: 25 },
    );
  });
});
