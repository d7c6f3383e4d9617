// The database itself refuses to rewrite history; verify catches what an attacker with the file does anyway.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, eventHash } from '../../../appliance/store/canonical.ts';
import { EventStore, StoreError } from '../../../appliance/store/event-store.ts';
import { verifyChain } from '../../../appliance/store/verify-chain.ts';
import { openCage, tempDir, type Cage } from '../../support/cage.ts';

let cage: Cage;
beforeEach(() => {
  cage = openCage();
  cage.ok({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1' });
  cage.ok({ type: 'Return', tags: ['LT-001'] });
});
afterEach(() => cage.close());

/** Edits the closed file as an attacker would (with sqlite3 and the triggers dropped), then reopens it. */
function tamper(sql: string[]): EventStore {
  const path = cage.app.store.path;
  cage.app.close();
  const db = new Database(path);
  for (const statement of sql) db.exec(statement);
  db.close();
  return EventStore.open(cage.dir);
}

describe('append-only, enforced by SQLite', () => {
  it('aborts UPDATE and DELETE on events with a clear message', () => {
    const db = cage.app.store.db;
    expect(() => db.prepare("UPDATE events SET data = '{}' WHERE seq = 3").run()).toThrow('events is append-only: UPDATE refused (corrections are new events)');
    expect(() => db.prepare('DELETE FROM events WHERE seq = 3').run()).toThrow('events is append-only: DELETE refused (history is never rewritten)');
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
  });

  it('refuses a gap in seq, a second head row and moving the head backwards', () => {
    const db = cage.app.store.db;
    const head = cage.app.store.head();
    expect(() => db.prepare("INSERT INTO events VALUES (?, 'x', 't', 's', '{}', 'a', 'system', 'o', 'r', 'k-gap', 'p', 'h')").run(head.seq + 5))
      .toThrow('events.seq must be the next number: the log is gapless');
    expect(() => db.prepare('UPDATE chain_head SET seq = 1').run()).toThrow('chain_head only moves forward');
    expect(() => db.prepare('DELETE FROM chain_head').run()).toThrow('chain_head cannot be deleted');
  });

  it('verifies an untouched chain', () => {
    const report = verifyChain(cage.app.store);
    expect(report).toEqual({ ok: true, count: cage.app.store.head().seq, head: cage.app.store.head() });
  });
});

describe('tampering with the file', () => {
  it('names the first altered event when data is changed with the triggers dropped', () => {
    const store = tamper(['DROP TRIGGER events_no_update', `UPDATE events SET data = replace(data, 'EMP', 'XXX') WHERE seq = 7`]);
    const report = verifyChain(store);
    expect(report).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', seq: 7 });
    if (!report.ok) expect(report.message).toBe('Event 7 fails verification: its content does not match its hash (altered after it was written).');
    store.close();
    cage.app = { close() {} } as never;
  });

  it('notices a correctly rehashed event through the next link', () => {
    // The attacker edits event 5 and recomputes its hash, but event 6 still names the old hash as prev_hash.
    const e = cage.app.store.event(5)!;
    const forged = { ...e, actor: 'someone-else', data: canonicalJson(e.data) };
    const hash = eventHash(e.prev_hash, forged);
    const store = tamper(['DROP TRIGGER events_no_update', `UPDATE events SET actor = 'someone-else', hash = '${hash}' WHERE seq = 5`]);
    expect(store.event(5)!.hash).toBe(hash);
    const report = verifyChain(store);
    expect(report).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', seq: 6 });
    if (!report.ok) expect(report.message).toContain('prev_hash does not match');
    store.close();
    cage.app = { close() {} } as never;
  });

  it('reports HEAD_MISMATCH when the last event is deleted', () => {
    const store = tamper(['DROP TRIGGER events_no_delete', 'DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)']);
    const report = verifyChain(store);
    expect(report).toMatchObject({ ok: false, code: 'HEAD_MISMATCH' });
    if (!report.ok) expect(report.message).toMatch(/^The recorded head is event (\d+) but the log ends at event (\d+)/);
    store.close();
    cage.app = { close() {} } as never;
  });
});

describe('opening a store', () => {
  it('refuses a store from a newer schema, a file that is not a database, and a missing store', () => {
    const newer = tempDir();
    EventStore.open(newer, { create: true }).close();
    const db = new Database(join(newer, 'assettrack.db'));
    db.pragma('user_version = 99');
    db.close();
    expect(() => EventStore.open(newer)).toThrow(expect.objectContaining({ code: 'NEWER_SCHEMA' }));

    const junk = tempDir();
    writeFileSync(join(junk, 'assettrack.db'), 'this is not a database at all, just text'.repeat(200));
    expect(() => EventStore.open(junk)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));

    expect(() => EventStore.open(tempDir())).toThrow(StoreError);
  });

  it('loads state from the projection tables without replaying events', () => {
    const sorted = (m: Map<string, unknown>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
    const before = cage.app.state();
    // Empty the events table behind the store's back: a loader that replayed would now see nothing.
    const store = tamper(['DROP TRIGGER events_no_delete', 'DELETE FROM events']);
    const loaded = store.loadState();
    expect(sorted(loaded.assets)).toEqual(sorted(before.assets));
    expect(sorted(loaded.holders)).toEqual(sorted(before.holders));
    expect(sorted(loaded.slots)).toEqual(sorted(before.slots));
    expect(loaded.seq).toBe(before.seq);
    store.close();
    cage.app = { close() {} } as never;
  });
});
