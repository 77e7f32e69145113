/**
 * The PostgreSQL schema, as versioned migrations applied in order on open, under an
 * advisory lock. The same tables as SQLite; text compares bytewise (`COLLATE "C"`) as
 * in SQLite, so both stores order ties and cursors alike. Never edit a released
 * migration.
 */
export const postgresMigrations: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: "ledger",
    sql: `
CREATE TABLE meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL);
INSERT INTO meta (key, value) VALUES ('watermark', '0'), ('topics_version', '0');

CREATE TABLE rules_versions (
  version    BIGSERIAL PRIMARY KEY,
  hash       TEXT COLLATE "C" NOT NULL UNIQUE,
  config     TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE topics (
  id         TEXT COLLATE "C" PRIMARY KEY,
  parent     TEXT COLLATE "C" NOT NULL,
  depth      INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE actions (
  seq           BIGSERIAL PRIMARY KEY,
  id            TEXT COLLATE "C" NOT NULL UNIQUE,
  hash          TEXT COLLATE "C" NOT NULL,
  type          TEXT COLLATE "C" NOT NULL,
  actor         TEXT COLLATE "C" NOT NULL,
  target_type   TEXT COLLATE "C",
  target_id     TEXT COLLATE "C",
  target_author TEXT COLLATE "C",
  topic         TEXT COLLATE "C",
  at            BIGINT NOT NULL,
  data          TEXT COLLATE "C",
  reverts       TEXT COLLATE "C",
  reverted_by   TEXT COLLATE "C",
  rules_version BIGINT NOT NULL,
  entry_count   INTEGER NOT NULL,
  outcome       TEXT COLLATE "C" NOT NULL,
  received_at   BIGINT NOT NULL
);
CREATE INDEX actions_by_target ON actions (target_type, target_id) WHERE target_id IS NOT NULL;

CREATE TABLE entries (
  id              BIGSERIAL PRIMARY KEY,
  action_id       TEXT COLLATE "C" NOT NULL,
  idx             INTEGER NOT NULL,
  user_id         TEXT COLLATE "C" NOT NULL,
  topic           TEXT COLLATE "C" NOT NULL,
  delta           BIGINT NOT NULL,
  kind            TEXT COLLATE "C" NOT NULL,
  rule            TEXT COLLATE "C",
  role            TEXT COLLATE "C",
  requested       BIGINT,
  source          INTEGER,
  reverses_action TEXT COLLATE "C",
  reverses_idx    INTEGER,
  rules_version   BIGINT NOT NULL,
  at              BIGINT NOT NULL
);
CREATE UNIQUE INDEX entries_by_action ON entries (action_id, idx);
CREATE INDEX entries_by_user ON entries (user_id, id);

CREATE TABLE snapshots (
  user_id TEXT COLLATE "C" NOT NULL,
  topic   TEXT COLLATE "C" NOT NULL,
  points  BIGINT NOT NULL,
  pending BIGINT NOT NULL,
  peak    BIGINT NOT NULL,
  period  BIGINT NOT NULL,
  entries BIGINT NOT NULL,
  last_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, topic)
);
-- Leaderboards read only this index (pending included, so no row lookups).
CREATE INDEX snapshots_board ON snapshots (topic, points DESC, user_id) INCLUDE (pending);
CREATE INDEX snapshots_pending ON snapshots (period) WHERE pending <> 0;

CREATE TABLE counters (
  cap     TEXT COLLATE "C" NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  day     BIGINT NOT NULL,
  amount  BIGINT NOT NULL,
  PRIMARY KEY (cap, user_id, day)
);

CREATE TABLE awards (
  key       TEXT COLLATE "C" PRIMARY KEY,
  action_id TEXT COLLATE "C" NOT NULL
);

CREATE TABLE rank_counts (
  topic  TEXT COLLATE "C" NOT NULL,
  level  INTEGER NOT NULL,
  bucket BIGINT NOT NULL,
  n      BIGINT NOT NULL,
  PRIMARY KEY (topic, level, bucket)
);

-- The ledger is append-only (invariant 2 in docs/concepts.md); of an action only its
-- reverted_by mark ever changes.
CREATE FUNCTION repute_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION repute_append_only('entries are');
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries FOR EACH ROW EXECUTE FUNCTION repute_append_only('entries are');
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions FOR EACH ROW EXECUTE FUNCTION repute_append_only('the action log is');
CREATE TRIGGER actions_frozen BEFORE UPDATE OF seq, id, hash, type, actor, target_type, target_id, target_author, topic, at, data, reverts,
  rules_version, entry_count, outcome, received_at ON actions FOR EACH ROW EXECUTE FUNCTION repute_append_only('the action log is');
`,
  },
  {
    version: 2,
    name: "api keys",
    sql: `
CREATE TABLE api_keys (
  id         BIGSERIAL PRIMARY KEY,
  name       TEXT COLLATE "C" NOT NULL,
  role       TEXT COLLATE "C" NOT NULL,
  hash       TEXT COLLATE "C" NOT NULL UNIQUE,
  prefix     TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
`,
  },
  {
    version: 3,
    name: "publication schedule",
    // As in SQLite: the schedule the snapshots are split under, from the current configuration.
    sql: `
INSERT INTO meta (key, value)
SELECT 'publication', CASE WHEN r.config::jsonb #>> '{publication,schedule}' = 'daily'
                           THEN 'daily ' || (r.config::jsonb #>> '{publication,at}') ELSE 'immediate' END
FROM rules_versions r JOIN meta m ON m.key = 'current_version' AND r.version = m.value::bigint;
`,
  },
];
