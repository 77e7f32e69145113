/**
 * The SQLite schema, as versioned migrations applied in order on open. Never edit
 * a released migration; append a new one.
 */
export const sqliteMigrations: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: "ledger",
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('watermark', '0'), ('topics_version', '0');

CREATE TABLE rules_versions (
  version    INTEGER PRIMARY KEY,
  hash       TEXT NOT NULL UNIQUE,
  config     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE topics (
  id         TEXT PRIMARY KEY,
  parent     TEXT NOT NULL,
  depth      INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE actions (
  seq           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  hash          TEXT NOT NULL,
  type          TEXT NOT NULL,
  actor         TEXT NOT NULL,
  target_type   TEXT,
  target_id     TEXT,
  target_author TEXT,
  topic         TEXT,
  at            INTEGER NOT NULL,
  data          TEXT,
  reverts       TEXT,
  reverted_by   TEXT,
  rules_version INTEGER NOT NULL,
  entry_count   INTEGER NOT NULL,
  outcome       TEXT NOT NULL,
  received_at   INTEGER NOT NULL
);
CREATE INDEX actions_by_target ON actions (target_type, target_id) WHERE target_id IS NOT NULL;

CREATE TABLE entries (
  id              INTEGER PRIMARY KEY,
  action_id       TEXT NOT NULL,
  idx             INTEGER NOT NULL,
  user_id         TEXT NOT NULL,
  topic           TEXT NOT NULL,
  delta           INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  rule            TEXT,
  role            TEXT,
  requested       INTEGER,
  source          INTEGER,
  reverses_action TEXT,
  reverses_idx    INTEGER,
  rules_version   INTEGER NOT NULL,
  at              INTEGER NOT NULL
);
CREATE UNIQUE INDEX entries_by_action ON entries (action_id, idx);
CREATE INDEX entries_by_user ON entries (user_id, id);

CREATE TABLE snapshots (
  user_id TEXT NOT NULL,
  topic   TEXT NOT NULL,
  points  INTEGER NOT NULL,
  pending INTEGER NOT NULL,
  peak    INTEGER NOT NULL,
  period  INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, topic)
) WITHOUT ROWID;
-- Leaderboards read only this index (pending included, so no row lookups).
CREATE INDEX snapshots_board ON snapshots (topic, points DESC, user_id, pending);
CREATE INDEX snapshots_pending ON snapshots (period) WHERE pending <> 0;

CREATE TABLE counters (
  cap     TEXT NOT NULL,
  user_id TEXT NOT NULL,
  day     INTEGER NOT NULL,
  amount  INTEGER NOT NULL,
  PRIMARY KEY (cap, user_id, day)
) WITHOUT ROWID;

CREATE TABLE awards (
  key       TEXT PRIMARY KEY,
  action_id TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE rank_counts (
  topic  TEXT NOT NULL,
  level  INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (topic, level, bucket)
) WITHOUT ROWID;

-- The ledger is append-only (invariant 2 in docs/concepts.md); of an action only its
-- reverted_by mark ever changes.
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;
CREATE TRIGGER actions_frozen BEFORE UPDATE OF seq, id, hash, type, actor, target_type, target_id, target_author, topic, at, data, reverts, rules_version, entry_count, outcome, received_at ON actions
BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;
`,
  },
  {
    version: 2,
    name: "api keys",
    sql: `
CREATE TABLE api_keys (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL,
  hash       TEXT NOT NULL UNIQUE,
  prefix     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
-- A name names one active key; a revoked key's name may be used again.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
`,
  },
  {
    version: 3,
    name: "publication schedule",
    // The schedule the snapshots are split under (Publication.key), taken from the
    // current configuration; a database without one gets it on its first open.
    sql: `
INSERT INTO meta (key, value)
SELECT 'publication', CASE WHEN json_extract(r.config, '$.publication.schedule') = 'daily'
                           THEN 'daily ' || json_extract(r.config, '$.publication.at') ELSE 'immediate' END
FROM rules_versions r JOIN meta m ON m.key = 'current_version' AND r.version = CAST(m.value AS INTEGER);
`,
  },
];
