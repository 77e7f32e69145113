import type { RuleBook } from "../../core/rule-book.js";
import type { RebuildReport } from "../store.js";
import { countersFromLedgerSql, rankCountsSql, rebuiltSnapshotsSql } from "./ledger-sql.js";
import { type RecordedVersion, dropTemps, ruleTables } from "./rule-tables.js";
import { type SqlProgram, all, run } from "./sql-program.js";

/** Kept snapshots that differ from the rebuilt ones (needs repute_rebuilt). */
export const snapshotDiffSql = `
  FROM repute_rebuilt r FULL OUTER JOIN snapshots s ON s.user_id = r.user_id AND s.topic = r.topic
  WHERE r.user_id IS NULL OR s.user_id IS NULL OR r.points <> s.points OR r.pending <> s.pending
     OR r.peak <> s.peak OR r.entries <> s.entries OR r.last_at <> s.last_at`;

/**
 * Recomputes every snapshot, the rank histogram and the cap counters from the
 * ledger, inside the caller's transaction. Reports how many snapshots differed.
 */
export function* rebuildProgram(book: RuleBook, watermark: number, versions: readonly RecordedVersion[]): SqlProgram<RebuildReport> {
  yield* dropTemps();
  yield run(`CREATE TEMP TABLE repute_rebuilt AS ${rebuiltSnapshotsSql(book.publication, watermark)}`);
  const [diff] = yield all(`SELECT COUNT(*) AS n ${snapshotDiffSql}`);
  yield run("DELETE FROM snapshots");
  yield run(`INSERT INTO snapshots (user_id, topic, points, pending, peak, period, entries, last_at)
             SELECT user_id, topic, points, pending, peak, period, entries, last_at FROM repute_rebuilt`);
  yield run("DELETE FROM rank_counts");
  yield run(`INSERT INTO rank_counts (topic, level, bucket, n) ${rankCountsSql}`);
  yield* ruleTables(versions);
  yield run("DELETE FROM counters");
  yield run(`INSERT INTO counters (cap, user_id, day, amount) ${countersFromLedgerSql}`);
  const [counts] = yield all("SELECT (SELECT COUNT(*) FROM snapshots) AS snapshots, (SELECT COUNT(*) FROM entries) AS entries");
  yield* dropTemps();
  return { snapshots: Number(counts?.snapshots), changed: Number(diff?.n), entries: Number(counts?.entries) };
}
