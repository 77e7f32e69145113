import type { RuleBook } from "../../core/rule-book.js";
import { parseConfig } from "../../core/rules/repute-config.js";
import type { RebuildReport } from "../store.js";
import { countersFromLedgerSql } from "./ledger-sql.js";
import { rebuiltSnapshots } from "./rebuilt-snapshots.js";
import { type RecordedVersion, dropTemps, ruleTables } from "./rule-tables.js";
import { type SqlProgram, all, run } from "./sql-program.js";

/** Kept snapshots that differ from the rebuilt ones (needs repute_rebuilt). */
export const snapshotDiffSql = `
  FROM repute_rebuilt r FULL OUTER JOIN snapshots s ON s.user_id = r.user_id AND s.topic = r.topic
  WHERE r.user_id IS NULL OR s.user_id IS NULL OR r.points <> s.points OR r.pending <> s.pending
     OR r.peak <> s.peak OR r.period <> s.period OR r.entries <> s.entries OR r.last_at <> s.last_at`;

const COLUMNS = "user_id, topic, points, pending, peak, period, entries, last_at";

/**
 * Recomputes every snapshot, the rank histogram and the cap counters from the
 * ledger, inside the caller's transaction. Only snapshots that differ are written;
 * the report says how many there were (0 when the kept snapshots were right).
 */
export function* rebuildProgram(book: RuleBook, watermark: number, versions: readonly RecordedVersion[]): SqlProgram<RebuildReport> {
  yield* dropTemps();
  const rebuilt = yield* rebuiltSnapshots(book.publication, watermark);
  const written = yield all(`INSERT INTO snapshots (${COLUMNS}) SELECT ${COLUMNS} FROM (${rebuilt}) r WHERE true
    ON CONFLICT (user_id, topic) DO UPDATE SET points = excluded.points, pending = excluded.pending, peak = excluded.peak,
      period = excluded.period, entries = excluded.entries, last_at = excluded.last_at
    WHERE snapshots.points <> excluded.points OR snapshots.pending <> excluded.pending OR snapshots.peak <> excluded.peak
      OR snapshots.period <> excluded.period OR snapshots.entries <> excluded.entries OR snapshots.last_at <> excluded.last_at
    RETURNING 1 AS changed`);
  // Every rebuilt (user, topic) now has its snapshot: any row beyond them has no entries and goes.
  const [sizes] = yield all("SELECT (SELECT COUNT(*) FROM snapshots) AS kept, (SELECT COUNT(*) FROM repute_grouped) AS rebuilt, (SELECT COALESCE(SUM(n), 0) FROM repute_grouped) AS entries");
  let removed = 0;
  if (Number(sizes?.kept) > Number(sizes?.rebuilt)) {
    removed = (yield all(`DELETE FROM snapshots WHERE NOT EXISTS (SELECT 1 FROM repute_grouped g WHERE g.user_id = snapshots.user_id AND g.topic = snapshots.topic)
      RETURNING 1 AS changed`)).length;
  }
  // The histogram: exact values in one ordered scan of the board index, coarser levels from them.
  yield run("DELETE FROM rank_counts");
  yield run("INSERT INTO rank_counts (topic, level, bucket, n) SELECT topic, 0, points, COUNT(*) FROM snapshots GROUP BY topic, points");
  yield run("INSERT INTO rank_counts (topic, level, bucket, n) SELECT topic, 1, bucket >> 8, SUM(n) FROM rank_counts WHERE level = 0 GROUP BY topic, bucket >> 8");
  yield run("INSERT INTO rank_counts (topic, level, bucket, n) SELECT topic, 2, bucket >> 16, SUM(n) FROM rank_counts WHERE level = 0 GROUP BY topic, bucket >> 16");
  if (versions.some((v) => parseConfig(v.config).rules.some((r) => r.cap !== undefined))) {
    yield* ruleTables(versions);
    yield run("DELETE FROM counters");
    yield run(`INSERT INTO counters (cap, user_id, day, amount) ${countersFromLedgerSql}`);
  } else {
    yield run("DELETE FROM counters");
  }
  yield* dropTemps();
  return { snapshots: Number(sizes?.rebuilt), changed: written.length + removed, entries: Number(sizes?.entries) };
}
