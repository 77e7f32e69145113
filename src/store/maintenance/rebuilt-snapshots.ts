import type { Publication } from "../../core/publication.js";
import { floorDiv } from "./ledger-sql.js";
import { type SqlProgram, run } from "./sql-program.js";

const DAY_MS = 86_400_000;

/**
 * Prepares snapshots recomputed from the ledger alone and returns the SELECT that
 * yields them (the columns of `snapshots`), doing the
 * expensive work only where it is needed: one GROUP BY gives every total, count and
 * newest time; the peak (the highest running total, in ledger order, after an action's
 * last entry in it) only for totals that ever had a negative entry (otherwise the peak
 * is the total), and the published / pending split only for totals with entries at or
 * after their publication boundary.
 *
 * `verify` recomputes snapshots with one independent windowed query
 * (`rebuiltSnapshotsSql`), so the two computations check each other.
 */
export function* rebuiltSnapshots(publication: Publication, watermark: number): SqlProgram<string> {
  yield run(`CREATE TEMP TABLE repute_grouped AS
    SELECT user_id, topic, SUM(delta) AS total, MIN(delta) AS low, COUNT(*) AS n, MAX(at) AS last_at FROM entries GROUP BY user_id, topic`);
  yield run(`CREATE TEMP TABLE repute_peaks AS
    SELECT user_id, topic, MAX(running) AS peak FROM (
      SELECT e.user_id, e.topic, e.action_id,
        SUM(e.delta) OVER (PARTITION BY e.user_id, e.topic ORDER BY e.id ROWS UNBOUNDED PRECEDING) AS running,
        LEAD(e.action_id) OVER (PARTITION BY e.user_id, e.topic ORDER BY e.id) AS next_action
      FROM repute_grouped g JOIN entries e ON e.user_id = g.user_id AND e.topic = g.topic WHERE g.low < 0) x
    WHERE next_action IS NULL OR next_action <> action_id
    GROUP BY user_id, topic`);
  let period = "0";
  if (!publication.immediate) {
    const offset = publication.boundary(0);
    const newest = floorDiv(`g.last_at - ${offset}`, DAY_MS);
    period = floorDiv(`g.last_at - ${offset}`, DAY_MS);
    // A total's boundary is that of the later of its newest entry's period and the watermark:
    // entries in that period are pending. Only totals whose newest period is not before the
    // watermark (the period published through, still open) can have anything pending.
    yield run(`CREATE TEMP TABLE repute_splits AS
      SELECT e.user_id, e.topic, SUM(e.delta) AS pending
      FROM repute_grouped g JOIN entries e ON e.user_id = g.user_id AND e.topic = g.topic
      WHERE ${newest} >= ${watermark} AND e.at >= (${newest}) * ${DAY_MS} + ${offset}
      GROUP BY e.user_id, e.topic`);
  } else {
    yield run("CREATE TEMP TABLE repute_splits AS SELECT user_id, topic, total AS pending FROM repute_grouped WHERE 1 = 0");
  }
  return `SELECT g.user_id, g.topic, g.total - COALESCE(s.pending, 0) AS points, COALESCE(s.pending, 0) AS pending,
      CASE WHEN g.low >= 0 THEN g.total WHEN p.peak > 0 THEN p.peak ELSE 0 END AS peak,
      ${period} AS period, g.n AS entries, g.last_at AS last_at
    FROM repute_grouped g
      LEFT JOIN repute_peaks p ON p.user_id = g.user_id AND p.topic = g.topic
      LEFT JOIN repute_splits s ON s.user_id = g.user_id AND s.topic = g.topic`;
}
