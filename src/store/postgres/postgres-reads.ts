import type { Snapshot } from "../../core/snapshot.js";
import type { ActionRecord } from "../../core/submit-result.js";
import { aboveRanges } from "../rank-buckets.js";
import { type ActionRow, type EntryRow, type SnapshotRow, actionFromRow, entryFromRow, recordFromRows, snapshotFromRow } from "../rows.js";
import type { BoardRow, HistoryRow, LeaderboardQuery } from "../store.js";
import type { PgQueryable } from "./pg-driver.js";

const MAX = Number.MAX_SAFE_INTEGER;
const MIN = Number.MIN_SAFE_INTEGER;

// The PostgreSQL store's reads: one query each (two for an action and its entries), on
// the pool, answered from the last committed state.

/** A recorded action with its entries, or null. */
export async function readAction(db: PgQueryable, id: string): Promise<ActionRecord | null> {
  const { rows } = await db.query<ActionRow>("SELECT * FROM actions WHERE id = $1", [id]);
  const row = rows[0];
  if (row === undefined) return null;
  const entries = await db.query<EntryRow>("SELECT * FROM entries WHERE action_id = $1 ORDER BY idx", [id]);
  return recordFromRows(row, entries.rows);
}

/** A user's snapshots, in every topic (by topic) or one. */
export async function readSnapshots(db: PgQueryable, user: string, topic?: string): Promise<Snapshot[]> {
  const { rows } =
    topic === undefined
      ? await db.query<SnapshotRow>("SELECT * FROM snapshots WHERE user_id = $1 ORDER BY topic", [user])
      : await db.query<SnapshotRow>("SELECT * FROM snapshots WHERE user_id = $1 AND topic = $2", [user, topic]);
  return rows.map(snapshotFromRow);
}

/** A user's entries with their actions, newest first, before ledger position `before`. */
export async function readHistory(db: PgQueryable, user: string, query: { limit: number; before?: number | undefined; topic?: string | undefined }): Promise<HistoryRow[]> {
  const { rows } = await db.query<EntryRow & { a: ActionRow }>(
    `SELECT e.*, row_to_json(a) AS a FROM entries e JOIN actions a ON a.id = e.action_id
     WHERE e.user_id = $1 AND e.id < $2 AND ($3::text IS NULL OR e.topic = $3) ORDER BY e.id DESC LIMIT $4`,
    [user, query.before ?? MAX, query.topic ?? null, query.limit],
  );
  return rows.map((r) => ({ id: Number(r.id), entry: entryFromRow(r), action: actionFromRow({ ...r.a, at: Number(r.a.at) }) }));
}

/** A page of a topic's board: the top as a plain walk of the board index, else from a cursor and between bounds. */
export async function readLeaderboard(db: PgQueryable, topic: string, q: LeaderboardQuery): Promise<BoardRow[]> {
  if (q.after === undefined && (q.min ?? null) === null && (q.max ?? null) === null) {
    const top = await db.query<BoardRow>(`SELECT user_id AS "user", points, pending FROM snapshots WHERE topic = $1 ORDER BY points DESC, user_id ASC LIMIT $2`, [
      topic,
      q.limit,
    ]);
    return top.rows;
  }
  const ap = q.after?.points ?? MAX;
  const { rows } = await db.query<BoardRow>(
    `SELECT user_id AS "user", points, pending FROM snapshots WHERE topic = $1 AND points <= $2 AND (points < $2 OR user_id > $3) AND points >= $4 AND points < $5
     ORDER BY points DESC, user_id ASC LIMIT $6`,
    [topic, ap, q.after?.user ?? "", q.min ?? MIN, q.max ?? MAX, q.limit],
  );
  return rows;
}

/** Users of a topic above and at `points`, and all of them, from the rank counts. */
export async function readCountAbove(db: PgQueryable, topic: string, points: number): Promise<{ above: number; at: number; total: number }> {
  const r = aboveRanges(points);
  const { rows } = await db.query<{ above: number; at: number; total: number }>(
    `SELECT
       (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 0 AND bucket > $2 AND bucket <= $3)
     + (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 1 AND bucket > $4 AND bucket <= $5)
     + (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 2 AND bucket > $6) AS above,
       (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 0 AND bucket = $2) AS at,
       (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 2) AS total`,
    [topic, r.low0, r.high0, r.low1, r.high1, r.low2],
  );
  return { above: Number(rows[0]?.above), at: Number(rows[0]?.at), total: Number(rows[0]?.total) };
}

/** The publication period the database has published through. */
export async function readWatermark(db: PgQueryable): Promise<number> {
  return Number((await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'watermark'")).rows[0]?.value ?? 0);
}
