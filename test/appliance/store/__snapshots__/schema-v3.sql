CREATE INDEX assets_by_holder ON assets (holder_id) WHERE holder_id IS NOT NULL;

CREATE INDEX events_by_subject ON events (subject, seq);

CREATE TABLE assets (
  tag_key TEXT PRIMARY KEY, tag TEXT NOT NULL, serial TEXT NOT NULL, type TEXT NOT NULL, make TEXT NOT NULL,
  model TEXT NOT NULL, notes TEXT NOT NULL, state TEXT NOT NULL, missing INTEGER NOT NULL, condition TEXT NOT NULL,
  holder_id TEXT, since TEXT NOT NULL, home TEXT, slot TEXT, last_seen_at TEXT, last_change_seq INTEGER NOT NULL
, due TEXT) STRICT, WITHOUT ROWID;

CREATE TABLE cases (label_key TEXT PRIMARY KEY, label TEXT NOT NULL, slots INTEGER NOT NULL, last_swept_at TEXT) STRICT, WITHOUT ROWID;

CREATE TABLE chain_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL) STRICT;

CREATE TABLE commands (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  first_seq INTEGER,
  last_seq INTEGER,
  response TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE cradle_batches (
  id TEXT PRIMARY KEY, device TEXT NOT NULL, uploaded_at TEXT NOT NULL, first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL, count INTEGER NOT NULL, status TEXT NOT NULL, resolved_seq INTEGER
) STRICT, WITHOUT ROWID;

CREATE TABLE cradle_records (record_key TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT, WITHOUT ROWID;

CREATE TABLE credentials (operator_id TEXT PRIMARY KEY, pin_hash TEXT NOT NULL, set_at TEXT NOT NULL) STRICT, WITHOUT ROWID;

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  data TEXT NOT NULL,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;

CREATE TABLE holders (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, badge TEXT, org TEXT NOT NULL, kind TEXT NOT NULL, active INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE open_sweeps (
  scope TEXT PRIMARY KEY, label TEXT NOT NULL, operator TEXT NOT NULL, started_seq INTEGER NOT NULL, started_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE operators (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, badge TEXT NOT NULL, role TEXT NOT NULL, active INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE projection_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;

CREATE TABLE scan_memory (source_key TEXT PRIMARY KEY, value TEXT NOT NULL, at TEXT NOT NULL) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, operator_id TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE slot_occupancy (slot_key TEXT PRIMARY KEY, asset_key TEXT NOT NULL) STRICT, WITHOUT ROWID;

CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;

CREATE TRIGGER chain_head_forward_only BEFORE UPDATE ON chain_head WHEN NEW.seq <= OLD.seq
BEGIN SELECT RAISE(ABORT, 'chain_head only moves forward'); END;

CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head
BEGIN SELECT RAISE(ABORT, 'chain_head cannot be deleted'); END;

CREATE TRIGGER commands_no_delete BEFORE DELETE ON commands
BEGIN SELECT RAISE(ABORT, 'commands is append-only: DELETE refused (history is never rewritten)'); END;

CREATE TRIGGER commands_no_update BEFORE UPDATE ON commands
BEGIN SELECT RAISE(ABORT, 'commands is append-only: UPDATE refused (corrections are new events)'); END;

CREATE TRIGGER events_gapless BEFORE INSERT ON events
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM events)
BEGIN SELECT RAISE(ABORT, 'events.seq must be the next number: the log is gapless'); END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events is append-only: DELETE refused (history is never rewritten)'); END;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events is append-only: UPDATE refused (corrections are new events)'); END;

CREATE VIEW open_custody AS SELECT holder_id, tag, since FROM assets WHERE state = 'issued';
