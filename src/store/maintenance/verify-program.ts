import type { RuleBook } from "../../core/rule-book.js";
import type { Invariant, Violation } from "../violation.js";
import { countersFromLedgerSql, floorDiv, rankCountsSql, rebuiltSnapshotsSql } from "./ledger-sql.js";
import { snapshotDiffSql } from "./rebuild-program.js";
import { type RecordedVersion, dropTemps, ruleTables } from "./rule-tables.js";
import { type SqlProgram, all, run } from "./sql-program.js";

/** At most this many rows are reported per check; `details.total` says how many there were. */
const SAMPLE = 20;

interface Check {
  invariant: Invariant;
  /** A SELECT of the offending rows. */
  sql: string;
  message: (row: Record<string, unknown>) => string;
}

const DAY_MS = 86_400_000;

/** A snapshot's fields as a violation names them, and their columns. */
const SNAPSHOT_FIELDS = [
  ["points", "points"],
  ["pending", "pending"],
  ["peak", "peak"],
  ["period", "period"],
  ["entries", "entries"],
  ["last entry at", "last_at"],
] as const;

const checks: Check[] = [
  {
    invariant: "snapshot-sum",
    sql: `SELECT s.user_id, s.topic, s.points + s.pending AS kept, COALESCE(l.total, 0) AS ledger
          FROM snapshots s LEFT JOIN (SELECT user_id, topic, SUM(delta) AS total FROM entries GROUP BY user_id, topic) l
            ON l.user_id = s.user_id AND l.topic = s.topic
          WHERE s.points + s.pending <> COALESCE(l.total, 0)
          UNION ALL
          SELECT l.user_id, l.topic, NULL AS kept, l.total AS ledger
          FROM (SELECT user_id, topic, SUM(delta) AS total FROM entries GROUP BY user_id, topic) l
            LEFT JOIN snapshots s ON s.user_id = l.user_id AND s.topic = l.topic
          WHERE s.user_id IS NULL`,
    message: (r) => `snapshot ${r.user_id}/${r.topic} holds ${r.kept ?? "nothing"} but its entries sum to ${r.ledger}`,
  },
  {
    invariant: "append-only",
    sql: `SELECT a.id, a.entry_count, COUNT(e.idx) AS n, MAX(e.idx) AS top
          FROM actions a LEFT JOIN entries e ON e.action_id = a.id
          GROUP BY a.id, a.entry_count
          HAVING COUNT(e.idx) <> a.entry_count OR (COUNT(e.idx) > 0 AND MAX(e.idx) <> COUNT(e.idx) - 1)`,
    message: (r) => `action ${r.id} applied ${r.entry_count} entries but the ledger holds ${r.n}`,
  },
  {
    invariant: "append-only",
    sql: `SELECT e.action_id, e.idx FROM entries e LEFT JOIN actions a ON a.id = e.action_id WHERE a.id IS NULL`,
    message: (r) => `entry ${r.action_id}#${r.idx} belongs to no logged action`,
  },
  {
    invariant: "applied-once",
    sql: `SELECT e.action_id, e.idx, e.at, a.at AS action_at FROM entries e JOIN actions a ON a.id = e.action_id
          WHERE e.at <> a.at OR e.rules_version <> a.rules_version`,
    message: (r) => `entry ${r.action_id}#${r.idx} does not carry the time and rules version of its action`,
  },
  {
    invariant: "revert-exact",
    sql: `SELECT r.action_id, r.idx, r.reverses_action, r.reverses_idx, r.delta, o.delta AS original
          FROM entries r LEFT JOIN entries o ON o.action_id = r.reverses_action AND o.idx = r.reverses_idx
          WHERE r.kind = 'revert' AND (o.action_id IS NULL OR o.user_id <> r.user_id OR o.topic <> r.topic OR o.delta <> -r.delta)`,
    message: (r) => `revert entry ${r.action_id}#${r.idx} (${r.delta}) is not the negation of ${r.reverses_action}#${r.reverses_idx} (${r.original ?? "missing"})`,
  },
  {
    invariant: "revert-exact",
    sql: `SELECT a.id, a.reverted_by, a.entry_count, COUNT(r.idx) AS n
          FROM actions a LEFT JOIN entries r ON r.action_id = a.reverted_by AND r.reverses_action = a.id
          WHERE a.reverted_by IS NOT NULL
          GROUP BY a.id, a.reverted_by, a.entry_count
          HAVING COUNT(r.idx) <> a.entry_count`,
    message: (r) => `action ${r.id} is marked reverted by ${r.reverted_by}, which negated ${r.n} of its ${r.entry_count} entries`,
  },
  {
    invariant: "rebuild-equal",
    sql: `SELECT COALESCE(r.user_id, s.user_id) AS user_id, COALESCE(r.topic, s.topic) AS topic, ${SNAPSHOT_FIELDS.map(
      ([, c]) => `s.${c} AS kept_${c}, r.${c} AS rebuilt_${c}`,
    ).join(", ")} ${snapshotDiffSql}`,
    message: (r) => {
      const where = `snapshot ${r.user_id}/${r.topic}`;
      if (r.kept_points === null) return `${where} is missing; the ledger gives points ${r.rebuilt_points}, pending ${r.rebuilt_pending}`;
      if (r.rebuilt_points === null) return `${where} holds points ${r.kept_points}, and the ledger has no entries for it`;
      // Only the fields that differ, so the one that is wrong is the one named.
      const differ = SNAPSHOT_FIELDS.filter(([, c]) => String(r[`kept_${c}`]) !== String(r[`rebuilt_${c}`]));
      const show = (c: string, v: unknown) => (c === "last_at" ? new Date(Number(v)).toISOString() : String(v));
      const kept = differ.map(([name, c]) => `${name} ${show(c, r[`kept_${c}`])}`).join(", ");
      return `${where} kept ${kept}; the ledger gives ${differ.map(([, c]) => show(c, r[`rebuilt_${c}`])).join(", ")}`;
    },
  },
  {
    invariant: "cap",
    sql: `SELECT c.cap, e.user_id, ${floorDiv("e.at", DAY_MS)} AS day, SUM(e.delta) AS amount, MAX(c.lim) AS lim
          FROM entries e JOIN repute_rule_caps c ON c.rules_version = e.rules_version AND c.rule = e.rule
          WHERE e.kind = 'rule' AND e.delta > 0
          GROUP BY c.cap, e.user_id, ${floorDiv("e.at", DAY_MS)}
          HAVING SUM(e.delta) > MAX(c.lim)`,
    message: (r) => `user ${r.user_id} earned ${r.amount} from cap group "${r.cap}" on day ${r.day}, over its limit of ${r.lim}`,
  },
  {
    invariant: "cap",
    sql: `SELECT COALESCE(l.cap, k.cap) AS cap, COALESCE(l.user_id, k.user_id) AS user_id, COALESCE(l.day, k.day) AS day,
            k.amount AS kept, l.amount AS ledger
          FROM (${countersFromLedgerSql}) l FULL OUTER JOIN counters k ON k.cap = l.cap AND k.user_id = l.user_id AND k.day = l.day
          WHERE COALESCE(l.amount, 0) <> COALESCE(k.amount, 0)`,
    message: (r) => `cap counter "${r.cap}" of ${r.user_id} on day ${r.day} holds ${r.kept ?? 0}; the ledger gives ${r.ledger ?? 0}`,
  },
  {
    invariant: "floor",
    sql: `SELECT x.action_id, x.idx, x.user_id, x.topic, x.total, v.floor FROM (
            SELECT action_id, idx, user_id, topic, delta, kind, rule, rules_version,
              SUM(delta) OVER (PARTITION BY user_id, topic ORDER BY id ROWS UNBOUNDED PRECEDING) AS total
            FROM entries) x JOIN repute_versions v ON v.rules_version = x.rules_version
          WHERE v.floor IS NOT NULL AND x.delta < 0 AND x.rule IS NOT NULL AND x.kind IN ('rule', 'rollup', 'global') AND x.total < v.floor`,
    message: (r) => `entry ${r.action_id}#${r.idx} took ${r.user_id}/${r.topic} to ${r.total}, below the floor of ${r.floor}`,
  },
  {
    invariant: "rollup",
    sql: `SELECT r.action_id, r.idx, r.topic, r.kind, COALESCE(r.requested, r.delta) AS asked, s.topic AS source_topic, s.delta AS source_delta,
            CASE WHEN r.kind = 'global' THEN s.delta ELSE s.delta * q.scaled / 1000000 END AS expected
          FROM entries r
            JOIN entries s ON s.action_id = r.action_id AND s.idx = r.source
            LEFT JOIN repute_ancestors an ON an.topic = s.topic AND an.ancestor = r.topic
            LEFT JOIN repute_ratios q ON q.rules_version = r.rules_version AND q.j = an.distance
            JOIN repute_versions v ON v.rules_version = r.rules_version
          WHERE r.kind IN ('rollup', 'global') AND (
            (r.kind = 'global' AND (r.topic <> 'global' OR v.global = 0 OR COALESCE(r.requested, r.delta) <> s.delta)) OR
            (r.kind = 'rollup' AND (q.scaled IS NULL OR COALESCE(r.requested, r.delta) <> s.delta * q.scaled / 1000000)))`,
    message: (r) => `${r.kind} entry ${r.action_id}#${r.idx} in ${r.topic} asked ${r.asked}; ${r.source_delta} in ${r.source_topic} gives ${r.expected ?? "nothing there"}`,
  },
  {
    invariant: "rollup",
    sql: `SELECT s.action_id, s.idx, s.topic, an.ancestor, s.delta * q.scaled / 1000000 AS expected
          FROM entries s
            JOIN repute_versions v ON v.rules_version = s.rules_version
            JOIN repute_ancestors an ON an.topic = s.topic
            JOIN repute_ratios q ON q.rules_version = s.rules_version AND q.j = an.distance
          WHERE s.kind IN ('rule', 'adjust') AND v.floor IS NULL AND s.delta * q.scaled / 1000000 <> 0
            AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.action_id = s.action_id AND r.source = s.idx AND r.topic = an.ancestor)
          UNION ALL
          SELECT s.action_id, s.idx, s.topic, 'global' AS ancestor, s.delta AS expected
          FROM entries s JOIN repute_versions v ON v.rules_version = s.rules_version
          WHERE s.kind IN ('rule', 'adjust') AND v.global = 1 AND v.floor IS NULL AND s.topic <> 'global'
            AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.action_id = s.action_id AND r.source = s.idx AND r.topic = 'global')`,
    message: (r) => `entry ${r.action_id}#${r.idx} in ${r.topic} should have given ${r.expected} to ${r.ancestor}, and did not`,
  },
  {
    invariant: "rank-counts",
    sql: `SELECT COALESCE(x.topic, k.topic) AS topic, COALESCE(x.level, k.level) AS level, COALESCE(x.bucket, k.bucket) AS bucket,
            k.n AS kept, x.n AS expected
          FROM (${rankCountsSql}) x FULL OUTER JOIN rank_counts k ON k.topic = x.topic AND k.level = x.level AND k.bucket = x.bucket
          WHERE COALESCE(x.n, 0) <> COALESCE(k.n, 0)`,
    message: (r) => `rank count ${r.topic} level ${r.level} bucket ${r.bucket} holds ${r.kept ?? 0}; the snapshots give ${r.expected ?? 0}`,
  },
  {
    invariant: "awards",
    sql: `SELECT w.key, w.action_id, a.reverted_by FROM awards w LEFT JOIN actions a ON a.id = w.action_id
          WHERE a.id IS NULL OR a.reverted_by IS NOT NULL`,
    message: (r) => `once-award held by ${r.action_id}, which ${r.reverted_by === null ? "does not exist" : `was reverted by ${r.reverted_by}`}`,
  },
];

/** Checks every invariant (docs/concepts.md) with SQL over the ledger; returns each violation found. */
export function* verifyProgram(book: RuleBook, watermark: number, versions: readonly RecordedVersion[]): SqlProgram<Violation[]> {
  yield* dropTemps();
  yield run(`CREATE TEMP TABLE repute_rebuilt AS ${rebuiltSnapshotsSql(book.publication, watermark)}`);
  yield* ruleTables(versions);
  const out: Violation[] = [];
  for (const check of checks) {
    const [count] = yield all(`SELECT COUNT(*) AS n FROM (${check.sql}) v`);
    const total = Number(count?.n ?? 0);
    if (total === 0) continue;
    const rows = yield all(`${check.sql} LIMIT ${SAMPLE}`);
    rows.forEach((row, i) => out.push({ invariant: check.invariant, message: check.message(row), details: i === 0 ? { ...row, total } : row }));
  }
  yield* dropTemps();
  return out;
}
