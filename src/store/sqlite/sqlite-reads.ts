import type { Snapshot } from "../../core/snapshot.js";
import type { ActionRecord } from "../../core/submit-result.js";
import { aboveRanges } from "../rank-buckets.js";
import { type ActionRow, type EntryRow, type SnapshotRow, actionFromRow, entryFromRow, recordFromRows, snapshotFromRow } from "../rows.js";
import type { BoardRow, HistoryRow, LeaderboardQuery } from "../store.js";
import type { SqliteStatements } from "./sqlite-statements.js";

// The embedded store's reads, on its prepared statements: one statement each (two for an
// action and its entries), answered from the last committed state.

const MAX = Number.MAX_SAFE_INTEGER;
const MIN = Number.MIN_SAFE_INTEGER;

/** A recorded action with its entries, or null. */
export function readAction(st: SqliteStatements, id: string): ActionRecord | null {
  const row = st.actionById.get(id) as ActionRow | undefined;
  return row === undefined ? null : recordFromRows(row, st.entriesByAction.all(id) as EntryRow[]);
}

/** A user's snapshots, in every topic (by topic) or one. */
export function readSnapshots(st: SqliteStatements, user: string, topic?: string): Snapshot[] {
  const rows = (topic === undefined ? st.snapshotsOfUser.all(user) : st.snapshotOfUser.all(user, topic)) as SnapshotRow[];
  return rows.map(snapshotFromRow);
}

/** A user's entries with their actions, newest first, before ledger position `before`. */
export function readHistory(st: SqliteStatements, user: string, query: { limit: number; before?: number | undefined; topic?: string | undefined }): HistoryRow[] {
  const before = query.before ?? MAX;
  const rows = (
    query.topic === undefined ? st.history.all(user, before, query.limit) : st.historyInTopic.all(user, query.topic, before, query.limit)
  ) as Array<EntryRow & Record<string, unknown>>;
  return rows.map((r) => ({ id: Number(r.id), entry: entryFromRow(r), action: actionFromRow(historyAction(r)) }));
}

/** A page of a topic's board: the top as a plain walk of the board index, else from a cursor and between bounds. */
export function readLeaderboard(st: SqliteStatements, topic: string, q: LeaderboardQuery): BoardRow[] {
  if (q.after === undefined && (q.min ?? null) === null && (q.max ?? null) === null) {
    return (q.pending === false ? st.leaderboardTopPublished : st.leaderboardTop).all(topic, q.limit) as BoardRow[];
  }
  const ap = q.after?.points ?? MAX;
  const au = q.after?.user ?? "";
  return st.leaderboard.all(topic, ap, ap, au, q.min ?? MIN, q.max ?? MAX, q.limit) as BoardRow[];
}

/** Users of a topic above and at `points`, and all of them, from the rank counts. */
export function readCountAbove(st: SqliteStatements, topic: string, points: number): { above: number; at: number; total: number } {
  const row = st.countAbove.get({ topic, ...aboveRanges(points) }) as { above: number; at: number; total: number };
  return { above: Number(row.above), at: Number(row.at), total: Number(row.total) };
}

/** The action columns of a history row (prefixed `a_` to keep them apart from the entry's). */
function historyAction(r: Record<string, unknown>): ActionRow {
  return {
    id: r.action_id as string,
    hash: "",
    type: r.a_type as string,
    actor: r.a_actor as string,
    target_type: r.a_target_type as string | null,
    target_id: r.a_target_id as string | null,
    target_author: r.a_target_author as string | null,
    topic: r.a_topic as string | null,
    at: r.a_at as number,
    data: r.a_data as string | null,
    reverts: r.a_reverts as string | null,
    reverted_by: null,
    rules_version: 0,
    outcome: "{}",
  };
}
