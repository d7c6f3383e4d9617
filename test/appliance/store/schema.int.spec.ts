// Released migrations must never change: the schema a fresh store gets is pinned by a snapshot file.
// A new schema version adds a migration (and a new snapshot); it never edits an old one.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../../appliance/store/schema.ts';

function dump(db: Database.Database): string {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name").all() as { sql: string }[];
  return `${rows.map((r) => `${r.sql.trim()};`).join('\n\n')}\n`;
}

describe('schema', () => {
  it('migrates an empty database to the current version, matching the snapshot', async () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    await expect(dump(db)).toMatchFileSnapshot(`./__snapshots__/schema-v${SCHEMA_VERSION}.sql`);
    db.close();
  });

  it('applies each migration once, in order, and is idempotent', () => {
    const db = new Database(':memory:');
    migrate(db);
    const first = dump(db);
    migrate(db);
    expect(dump(db)).toBe(first);
    expect(MIGRATIONS).toHaveLength(SCHEMA_VERSION);
    db.close();
  });
});

describe('schema upgrade', () => {
  it('upgrades a v1 store in place to the current version, keeping its events', () => {
    const db = new Database(':memory:');
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO events VALUES (1, 'e1', 'StoreInitialized', 'X', '{}', 'system', 'system', 't', 't', 'k1', 'p', 'h')").run();
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('cradle_records', 'cradle_batches') ORDER BY name").all())
      .toEqual([{ name: 'cradle_batches' }, { name: 'cradle_records' }]);
    db.close();
  });
});
