// Walks the whole chain from the genesis value: gapless seq, each prev_hash equal to the previous hash,
// each hash recomputed from the canonical bytes, and the stored head equal to the last event.
import type { EventStore, Head } from './event-store.ts';
import { eventHash, genesisHash } from './canonical.ts';

export type ChainReport =
  | { ok: true; count: number; head: Head }
  | { ok: false; code: 'CHAIN_BROKEN' | 'HEAD_MISMATCH'; message: string; seq: number; count: number };

export function verifyChain(store: Pick<EventStore, 'db' | 'deviceId'>): ChainReport {
  let prev = genesisHash(store.deviceId);
  let expectedSeq = 1;
  const stmt = store.db
    .prepare('SELECT seq, id, type, subject, data, actor, source, occurred_at, recorded_at, idempotency_key, prev_hash, hash FROM events ORDER BY seq')
    .raw(true);
  for (const r of stmt.iterate() as Iterable<[number, string, string, string, string, string, string, string, string, string, string, string]>) {
    const [seq, id, type, subject, data, actor, source, occurred_at, recorded_at, idempotency_key, prevHash, hash] = r;
    const broken = (why: string): ChainReport => ({
      ok: false, code: 'CHAIN_BROKEN', seq, count: expectedSeq - 1, message: `Event ${seq} fails verification: ${why}.`,
    });
    if (seq !== expectedSeq) return broken(`expected seq ${expectedSeq} (a gap or reordering)`);
    if (prevHash !== prev) return broken('its prev_hash does not match the hash of the event before it');
    const fields = { seq, id, type, subject, data, actor, source, occurred_at, recorded_at, idempotency_key };
    if (eventHash(prevHash, fields) !== hash) return broken('its content does not match its hash (altered after it was written)');
    prev = hash;
    expectedSeq += 1;
  }
  const count = expectedSeq - 1;
  const stored = store.db.prepare('SELECT seq, hash FROM chain_head WHERE id = 1').get() as Head | undefined;
  const actual: Head = { seq: count, hash: prev };
  if ((stored?.seq ?? 0) !== actual.seq || (stored && stored.hash !== actual.hash)) {
    return {
      ok: false, code: 'HEAD_MISMATCH', seq: stored?.seq ?? 0, count,
      message: `The recorded head is event ${stored?.seq ?? 0} but the log ends at event ${actual.seq}: events were removed or added outside the appliance.`,
    };
  }
  return { ok: true, count, head: actual };
}
