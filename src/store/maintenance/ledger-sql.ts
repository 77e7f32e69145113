import type { Publication } from "../../core/publication.js";

const DAY_MS = 86_400_000;

/** floor(x / d) in SQL for integers of either sign (SQLite and PostgreSQL truncate toward zero). */
export function floorDiv(x: string, d: number): string {
  return `((${x}) - ((((${x}) % ${d}) + ${d}) % ${d})) / ${d}`;
}

/**
 * One row per (user, topic) recomputed from the ledger alone, with the columns of
 * `snapshots`: points/pending split at the boundary of the later of the newest
 * entry's period and the published watermark, the newest entry's period, the peak
 * (the highest running total in ledger order after an action's last entry in it), the
 * entry count and the newest entry time.
 */
export function rebuiltSnapshotsSql(publication: Publication, watermark: number): string {
  // The running total after each action's last entry in a (user, topic): a peak is reached between actions.
  const running = `CASE WHEN LEAD(action_id) OVER (PARTITION BY user_id, topic ORDER BY id) = action_id THEN NULL
    ELSE SUM(delta) OVER (PARTITION BY user_id, topic ORDER BY id ROWS UNBOUNDED PRECEDING) END`;
  const peak = "CASE WHEN MAX(running) > 0 THEN MAX(running) ELSE 0 END";
  if (publication.immediate) {
    return `SELECT user_id, topic, SUM(delta) AS points, 0 AS pending, ${peak} AS peak, 0 AS period,
              COUNT(*) AS entries, MAX(at) AS last_at
            FROM (SELECT user_id, topic, delta, at, ${running} AS running FROM entries) x
            GROUP BY user_id, topic`;
  }
  const offset = publication.boundary(0);
  const newest = `${floorDiv(`MAX(at) OVER (PARTITION BY user_id, topic) - ${offset}`, DAY_MS)}`;
  return `SELECT user_id, topic,
            SUM(CASE WHEN at < p * ${DAY_MS} + ${offset} THEN delta ELSE 0 END) AS points,
            SUM(CASE WHEN at >= p * ${DAY_MS} + ${offset} THEN delta ELSE 0 END) AS pending,
            ${peak} AS peak, MAX(newest) AS period, COUNT(*) AS entries, MAX(at) AS last_at
          FROM (SELECT user_id, topic, delta, at, running, newest,
                  CASE WHEN newest > ${watermark} THEN newest ELSE ${watermark} END AS p
                FROM (SELECT user_id, topic, delta, at, ${running} AS running, ${newest} AS newest FROM entries) w) x
          GROUP BY user_id, topic`;
}

/** The rank histogram (see rank-buckets.ts) recomputed from snapshots: topic, level, bucket, n. */
export const rankCountsSql = `
  SELECT topic, 0 AS level, points AS bucket, COUNT(*) AS n FROM snapshots GROUP BY topic, points
  UNION ALL SELECT topic, 1 AS level, points >> 8 AS bucket, COUNT(*) AS n FROM snapshots GROUP BY topic, points >> 8
  UNION ALL SELECT topic, 2 AS level, points >> 16 AS bucket, COUNT(*) AS n FROM snapshots GROUP BY topic, points >> 16`;

/** Cap counters recomputed from the ledger (needs repute_rule_caps): cap, user_id, day, amount. */
export const countersFromLedgerSql = `
  SELECT c.cap AS cap, e.user_id AS user_id, ${floorDiv("e.at", DAY_MS)} AS day, SUM(e.delta) AS amount
  FROM entries e JOIN repute_rule_caps c ON c.rules_version = e.rules_version AND c.rule = e.rule
  WHERE e.kind = 'rule' AND e.delta > 0
  GROUP BY c.cap, e.user_id, ${floorDiv("e.at", DAY_MS)}`;
