// The event store: one SQLite file, one write path. append() inserts a command's events with their
// chain hashes, applies them to the in-memory state and writes the touched projection rows — all in the
// caller's IMMEDIATE transaction, so a crash leaves either everything or nothing.
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { evolve } from '../domain/evolve.ts';
import { initialState } from '../domain/state.ts';
import type { AppliedEvent, CageState, NewEvent, RecordedEvent } from '../domain/types.ts';
import { canonicalJson, eventHash, genesisHash } from './canonical.ts';
import { ProjectionWriter, diffProjections, loadState, type ProjectionDifference } from './projections.ts';
import { NewerSchemaError, migrate } from './schema.ts';

export const DB_FILE = 'assettrack.db';
const REPLAY_CHUNK = 1000;

/** The store cannot be used at all (CLI exit code 3). */
export class StoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface AppendMeta {
  actor: string;
  source: string;
  occurredAt: string;
  recordedAt: string;
  /** Event i gets key, key#2, key#3 …: a retried command can never be recorded twice. */
  idempotencyKey: string;
}

export interface Head {
  seq: number;
  hash: string;
}

const SELECT_EVENT = 'SELECT seq, id, type, subject, data, actor, source, occurred_at, recorded_at, idempotency_key, prev_hash, hash FROM events';

type EventRow = Omit<RecordedEvent, 'data'> & { data: string };

export class EventStore {
  readonly db: Database.Database;
  readonly path: string;
  private readonly writer: ProjectionWriter;
  private readonly insert: Database.Statement;
  private readonly setHead: Database.Statement;
  private readonly getHead: Database.Statement;
  private readonly eventsAfter: Database.Statement;

  private constructor(db: Database.Database, path: string) {
    this.db = db;
    this.path = path;
    this.writer = new ProjectionWriter(db);
    this.insert = db.prepare(`INSERT INTO events (seq, id, type, subject, data, actor, source, occurred_at, recorded_at,
      idempotency_key, prev_hash, hash) VALUES (@seq, @id, @type, @subject, @data, @actor, @source, @occurred_at,
      @recorded_at, @idempotency_key, @prev_hash, @hash)`);
    this.setHead = db.prepare('INSERT INTO chain_head (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash');
    this.getHead = db.prepare('SELECT seq, hash FROM chain_head WHERE id = 1');
    this.eventsAfter = db.prepare(`${SELECT_EVENT} WHERE seq > ? ORDER BY seq`);
  }

  /** Opens (and creates or migrates) the store in `dir`. Throws StoreError with a sentence for a person. */
  static open(dir: string, options: { create?: boolean; readonly?: boolean; busyTimeoutMs?: number } = {}): EventStore {
    const path = join(dir, DB_FILE);
    if (!existsSync(path) && !options.create) {
      throw new StoreError('STORE_NOT_INITIALIZED', `No store in ${dir}. Run "assettrack init" first.`);
    }
    try {
      mkdirSync(dir, { recursive: true });
      if (!options.readonly) accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new StoreError('STORE_UNWRITABLE', `The data directory ${dir} cannot be written: ${(err as Error).message}`);
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: !!options.readonly, timeout: options.busyTimeoutMs ?? 5000 });
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        // better-sqlite3 builds SQLite so that WAL defaults to NORMAL: an acknowledged event must survive power loss.
        db.pragma('synchronous = FULL');
        migrate(db);
      }
      db.pragma('foreign_keys = ON');
      return new EventStore(db, path);
    } catch (err) {
      db?.close();
      if (err instanceof StoreError) throw err;
      if (err instanceof NewerSchemaError) throw new StoreError('NEWER_SCHEMA', err.message);
      const code = (err as { code?: string }).code ?? '';
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        throw new StoreError('STORE_LOCKED', `The store ${path} is locked by another process; try again.`);
      }
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new StoreError('STORE_CORRUPT', `${path} is not a readable AssetTrack database (${(err as Error).message}).`);
      }
      if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR')) {
        throw new StoreError('STORE_UNWRITABLE', `The store ${path} cannot be opened for writing (${(err as Error).message}).`);
      }
      throw err;
    }
  }

  close(): void {
    this.stopBackgroundCheckpoints();
    this.db.close();
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM store_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  get deviceId(): string {
    return this.meta('device_id') ?? '';
  }

  head(): Head {
    const row = this.getHead.get() as Head | undefined;
    return row ?? { seq: 0, hash: genesisHash(this.deviceId) };
  }

  /** Runs fn in one IMMEDIATE transaction (the write lock is taken at BEGIN, so no late busy error). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private checkpointer: Worker | undefined;

  /**
   * For the long-running kiosk process: SQLite's automatic checkpoint runs inside whichever commit crosses
   * 1000 WAL pages, so that command pays for copying and syncing the database file (the slowest 1-2 % of
   * commands). A worker thread checkpoints on its own connection instead, concurrently with the writer.
   * Short CLI processes keep SQLite's automatic checkpoint.
   */
  startBackgroundCheckpoints(intervalMs = 200): void {
    if (this.checkpointer || this.db.readonly) return;
    this.db.pragma('wal_autocheckpoint = 0');
    this.checkpointer = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), { workerData: { path: this.path, intervalMs } });
    this.checkpointer.unref();
  }

  stopBackgroundCheckpoints(): void {
    if (!this.checkpointer) return;
    this.checkpointer.postMessage('stop');
    this.checkpointer = undefined;
    if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
  }

  /** Current state from the projection tables: no replay, so start-up cost does not grow with history. */
  loadState(): CageState {
    return loadState(this.db, this.head().seq);
  }

  /** Applies events another process recorded since `state` was loaded. Call inside a transaction. */
  catchUp(state: CageState): void {
    const head = this.head();
    if (head.seq === state.seq) return;
    if (head.seq < state.seq) {
      Object.assign(state, this.loadState());
      return;
    }
    for (const row of this.eventsAfter.iterate(state.seq) as Iterable<EventRow>) evolve(state, toApplied(row));
    state.touched?.clear(); // the other process already wrote these rows
  }

  /** Appends events, evolves state and writes projections. Call inside transaction(). */
  append(state: CageState, events: NewEvent[], meta: AppendMeta): RecordedEvent[] {
    let { seq, hash } = this.head();
    const recorded: RecordedEvent[] = [];
    events.forEach((event, i) => {
      const fields = {
        seq: seq + 1,
        id: randomUUID(),
        type: event.type,
        subject: event.subject,
        data: canonicalJson(event.data),
        actor: meta.actor,
        source: meta.source,
        occurred_at: meta.occurredAt,
        recorded_at: meta.recordedAt,
        idempotency_key: i === 0 ? meta.idempotencyKey : `${meta.idempotencyKey}#${i + 1}`,
      };
      const row = { ...fields, prev_hash: hash, hash: eventHash(hash, fields) };
      this.insert.run(row);
      seq = row.seq;
      hash = row.hash;
      const full: RecordedEvent = { ...row, data: event.data };
      evolve(state, full);
      recorded.push(full);
    });
    if (recorded.length > 0) this.setHead.run({ seq, hash });
    this.writer.flush(state);
    return recorded;
  }

  *readEvents(fromSeq = 1, toSeq = Number.MAX_SAFE_INTEGER): Generator<RecordedEvent> {
    const stmt = this.db.prepare(`${SELECT_EVENT} WHERE seq BETWEEN ? AND ? ORDER BY seq`);
    for (const row of stmt.iterate(fromSeq, toSeq) as Iterable<EventRow>) yield { ...row, data: JSON.parse(row.data) };
  }

  event(seq: number): RecordedEvent | undefined {
    const row = this.db.prepare(`${SELECT_EVENT} WHERE seq = ?`).get(seq) as EventRow | undefined;
    return row ? { ...row, data: JSON.parse(row.data) } : undefined;
  }

  eventsOfSubject(subject: string): RecordedEvent[] {
    const rows = this.db.prepare(`${SELECT_EVENT} WHERE subject = ? ORDER BY seq`).all(subject) as EventRow[];
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) }));
  }

  /**
   * Replays every event from seq 1 into a fresh state. Reads only the columns evolve needs, as arrays, in
   * chunks: better-sqlite3's all() on 1000 rows is about 1.5× faster than iterate(); larger chunks cost
   * peak memory (5000 rows: +50 MB) without being faster.
   */
  replay(): CageState {
    const state = initialState();
    state.touched = null;
    const stmt = this.db.prepare('SELECT seq, type, subject, data, actor, occurred_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?').raw(true);
    for (let last = 0; ;) {
      const rows = stmt.all(last, REPLAY_CHUNK) as [number, string, string, string, string, string][];
      if (rows.length === 0) break;
      for (const r of rows) evolve(state, { seq: r[0], type: r[1], subject: r[2], data: JSON.parse(r[3]), actor: r[4], occurred_at: r[5] });
      last = rows[rows.length - 1]![0];
    }
    state.touched = new Set();
    return state;
  }

  diffProjections(replayed: CageState): ProjectionDifference[] {
    return diffProjections(this.db, replayed);
  }

  /** Rewrites every projection table from a replay (repairs drift; the log itself is untouched). */
  rewriteProjections(replayed: CageState): void {
    this.transaction(() => this.writer.replaceAll(replayed));
  }
}

function toApplied(row: EventRow): AppliedEvent {
  return { seq: row.seq, type: row.type, subject: row.subject, data: JSON.parse(row.data), actor: row.actor, occurred_at: row.occurred_at };
}
