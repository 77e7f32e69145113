import type { SqliteDriver, SqliteStatement } from "./sqlite-driver.js";

/**
 * Every statement of the write path and the reads, prepared once per store and
 * reused: better-sqlite3 statements are compiled once, bound per call.
 */
export class SqliteStatements {
  readonly metaGet: SqliteStatement;
  readonly dataVersion: SqliteStatement;
  readonly metaSet: SqliteStatement;
  readonly actionById: SqliteStatement;
  readonly entriesByAction: SqliteStatement;
  readonly actionsByTarget: SqliteStatement;
  readonly snapshotGet: SqliteStatement;
  readonly counterGet: SqliteStatement;
  readonly awardGet: SqliteStatement;
  readonly insertAction: SqliteStatement;
  readonly insertEntry: SqliteStatement;
  readonly markReverted: SqliteStatement;
  readonly addCounter: SqliteStatement;
  readonly putAward: SqliteStatement;
  readonly deleteAward: SqliteStatement;
  readonly upsertSnapshot: SqliteStatement;
  readonly addRankCount: SqliteStatement;
  readonly insertTopic: SqliteStatement;
  readonly allTopics: SqliteStatement;
  readonly snapshotsOfUser: SqliteStatement;
  readonly snapshotOfUser: SqliteStatement;
  readonly history: SqliteStatement;
  readonly historyInTopic: SqliteStatement;
  readonly leaderboard: SqliteStatement;
  readonly leaderboardTop: SqliteStatement;
  readonly leaderboardTopPublished: SqliteStatement;
  readonly countAbove: SqliteStatement;
  readonly pendingBehind: SqliteStatement;
  readonly publishOne: SqliteStatement;

  constructor(db: SqliteDriver) {
    this.metaGet = db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
    // Changes exactly when another connection commits (SqliteStateCache).
    this.dataVersion = db.prepare("PRAGMA data_version").pluck();
    this.metaSet = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.actionById = db.prepare("SELECT * FROM actions WHERE id = ?");
    this.entriesByAction = db.prepare("SELECT * FROM entries WHERE action_id = ? ORDER BY idx");
    this.actionsByTarget = db.prepare("SELECT id FROM actions WHERE target_type = ? AND target_id = ? AND target_id IS NOT NULL ORDER BY seq").pluck();
    this.snapshotGet = db.prepare("SELECT * FROM snapshots WHERE user_id = ? AND topic = ?");
    this.counterGet = db.prepare("SELECT amount FROM counters WHERE cap = ? AND user_id = ? AND day = ?").pluck();
    this.awardGet = db.prepare("SELECT action_id FROM awards WHERE key = ?").pluck();
    this.insertAction = db.prepare(
      `INSERT INTO actions (id, hash, type, actor, target_type, target_id, target_author, topic, at, data, reverts, reverted_by,
         rules_version, entry_count, outcome, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertEntry = db.prepare(
      `INSERT INTO entries (action_id, idx, user_id, topic, delta, kind, rule, role, requested, source, reverses_action, reverses_idx,
         rules_version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.markReverted = db.prepare("UPDATE actions SET reverted_by = ? WHERE id = ?");
    this.addCounter = db.prepare(
      "INSERT INTO counters (cap, user_id, day, amount) VALUES (?, ?, ?, ?) ON CONFLICT (cap, user_id, day) DO UPDATE SET amount = amount + excluded.amount",
    );
    this.putAward = db.prepare("INSERT INTO awards (key, action_id) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET action_id = excluded.action_id");
    this.deleteAward = db.prepare("DELETE FROM awards WHERE key = ?");
    this.upsertSnapshot = db.prepare(
      `INSERT INTO snapshots (user_id, topic, points, pending, peak, period, entries, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, topic) DO UPDATE SET points = excluded.points, pending = excluded.pending, peak = excluded.peak,
         period = excluded.period, entries = excluded.entries, last_at = excluded.last_at`,
    );
    this.addRankCount = db.prepare(
      "INSERT INTO rank_counts (topic, level, bucket, n) VALUES (?, ?, ?, ?) ON CONFLICT (topic, level, bucket) DO UPDATE SET n = n + excluded.n",
    );
    this.insertTopic = db.prepare("INSERT INTO topics (id, parent, depth, created_at) VALUES (?, ?, ?, ?)");
    this.allTopics = db.prepare("SELECT id, parent, depth FROM topics");
    this.snapshotsOfUser = db.prepare("SELECT * FROM snapshots WHERE user_id = ? ORDER BY topic");
    this.snapshotOfUser = db.prepare("SELECT * FROM snapshots WHERE user_id = ? AND topic = ?");
    const historyColumns = `e.*, a.type AS a_type, a.actor AS a_actor, a.target_type AS a_target_type, a.target_id AS a_target_id,
       a.target_author AS a_target_author, a.topic AS a_topic, a.at AS a_at, a.data AS a_data, a.reverts AS a_reverts`;
    this.history = db.prepare(
      `SELECT ${historyColumns} FROM entries e JOIN actions a ON a.id = e.action_id
       WHERE e.user_id = ? AND e.id < ? ORDER BY e.id DESC LIMIT ?`,
    );
    this.historyInTopic = db.prepare(
      `SELECT ${historyColumns} FROM entries e JOIN actions a ON a.id = e.action_id
       WHERE e.user_id = ? AND e.topic = ? AND e.id < ? ORDER BY e.id DESC LIMIT ?`,
    );
    // Cursor (after points ap, user au): rows with points < ap, or points = ap and user > au.
    this.leaderboard = db.prepare(
      `SELECT user_id AS user, points, pending FROM snapshots WHERE topic = ? AND points <= ? AND (points < ? OR user_id > ?) AND points >= ? AND points < ?
       ORDER BY points DESC, user_id ASC LIMIT ?`,
    );
    // The common page — the top, unfiltered — as a plain walk of the board index.
    this.leaderboardTop = db.prepare("SELECT user_id AS user, points, pending FROM snapshots WHERE topic = ? ORDER BY points DESC, user_id ASC LIMIT ?");
    this.leaderboardTopPublished = db.prepare("SELECT user_id AS user, points, 0 AS pending FROM snapshots WHERE topic = ? ORDER BY points DESC, user_id ASC LIMIT ?");
    this.countAbove = db.prepare(
      `SELECT
         (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = @topic AND level = 0 AND bucket > @low0 AND bucket <= @high0)
       + (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = @topic AND level = 1 AND bucket > @low1 AND bucket <= @high1)
       + (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = @topic AND level = 2 AND bucket > @low2) AS above,
         (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = @topic AND level = 0 AND bucket = @low0) AS at,
         (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = @topic AND level = 2) AS total`,
    );
    this.pendingBehind = db.prepare("SELECT user_id, topic, points, pending FROM snapshots WHERE pending <> 0 AND period < ?");
    this.publishOne = db.prepare("UPDATE snapshots SET points = points + pending, pending = 0 WHERE user_id = ? AND topic = ?");
  }
}
