// The baseline every append figure is divided by: plain better-sqlite3, the same pragmas as the store
// (WAL, synchronous=FULL set explicitly), one row per event with the same columns and sizes as the events
// table, chained by SHA-256 of prev hash + row — but no decide, no evolve, no projections, no indexes, no triggers.
import { createHash, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';

export interface BaselineRow {
  type: string;
  subject: string;
  /** canonical JSON text, as the store writes it */
  data: string;
}

export class BaselineStore {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private seq = 0;
  private hash = createHash('sha256').update('baseline-genesis').digest('hex');

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL,
      subject TEXT NOT NULL, data TEXT NOT NULL, actor TEXT NOT NULL, source TEXT NOT NULL, occurred_at TEXT NOT NULL,
      recorded_at TEXT NOT NULL, idempotency_key TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT`);
    this.insert = this.db.prepare(`INSERT INTO events VALUES (@seq, @id, @type, @subject, @data, @actor, @source,
      @occurred_at, @recorded_at, @idempotency_key, @prev_hash, @hash)`);
  }

  /** The pragmas in force, to show in the report that the comparison is like for like. */
  pragmas(): { journalMode: string; synchronous: number } {
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
    };
  }

  private write(row: BaselineRow): void {
    const now = new Date().toISOString();
    const fields = {
      seq: this.seq + 1, id: randomUUID(), type: row.type, subject: row.subject, data: row.data, actor: 'system', source: 'wedge',
      occurred_at: now, recorded_at: now, idempotency_key: `auto:${randomUUID()}`,
    };
    const hash = createHash('sha256').update(this.hash).update(JSON.stringify(fields)).digest('hex');
    this.insert.run({ ...fields, prev_hash: this.hash, hash });
    this.seq = fields.seq;
    this.hash = hash;
  }

  /** One row in its own IMMEDIATE transaction (the store's transaction style). */
  appendOne(row: BaselineRow): void {
    this.db.transaction(() => this.write(row)).immediate();
  }

  /** Many rows in one IMMEDIATE transaction. */
  appendMany(rows: readonly BaselineRow[]): void {
    this.db.transaction(() => {
      for (const row of rows) this.write(row);
    }).immediate();
  }

  close(): void {
    this.db.close();
  }
}
