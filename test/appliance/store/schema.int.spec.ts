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
