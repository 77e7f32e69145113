import { parseConfig } from "../../core/rules/repute-config.js";
import { type SqlProgram, run } from "./sql-program.js";

/** A recorded rules version, as stores list them. */
export interface RecordedVersion {
  version: number;
  config: unknown;
}

const TEMPS = ["repute_rebuilt", "repute_grouped", "repute_peaks", "repute_splits", "repute_rule_caps", "repute_versions", "repute_ratios", "repute_ancestors"];

/** Drops the temporary tables maintenance uses. */
export function* dropTemps(): SqlProgram<void> {
  for (const t of TEMPS) yield run(`DROP TABLE IF EXISTS ${t}`);
}

/**
 * Temporary tables that describe every recorded rules version for SQL checks:
 * `repute_rule_caps` (rules_version, rule, cap, lim), `repute_versions`
 * (rules_version, floor, global), `repute_ratios` (rules_version, j, scaled — the
 * rollup ratio j steps up, times 10^6) and `repute_ancestors` (topic, ancestor,
 * distance ≥ 1, global excluded).
 */
export function* ruleTables(versions: readonly RecordedVersion[]): SqlProgram<void> {
  yield run("CREATE TEMP TABLE repute_rule_caps (rules_version INTEGER, rule TEXT, cap TEXT, lim INTEGER)");
  yield run("CREATE TEMP TABLE repute_versions (rules_version INTEGER, floor INTEGER, global INTEGER)");
  yield run("CREATE TEMP TABLE repute_ratios (rules_version INTEGER, j INTEGER, scaled INTEGER)");
  for (const { version, config } of versions) {
    const c = parseConfig(config);
    yield run("INSERT INTO repute_versions (rules_version, floor, global) VALUES (?, ?, ?)", [version, c.floor, c.topics.global ? 1 : 0]);
    for (const rule of c.rules) {
      if (rule.cap === undefined) continue;
      const cap = c.caps[rule.cap];
      if (cap !== undefined) yield run("INSERT INTO repute_rule_caps (rules_version, rule, cap, lim) VALUES (?, ?, ?, ?)", [version, rule.id, rule.cap, cap.limit]);
    }
    for (let j = 1; j < c.topics.rollup.length; j++) {
      yield run("INSERT INTO repute_ratios (rules_version, j, scaled) VALUES (?, ?, ?)", [version, j, Math.round((c.topics.rollup[j] as number) * 1_000_000)]);
    }
  }
  yield run(`CREATE TEMP TABLE repute_ancestors AS
    WITH RECURSIVE up (topic, ancestor, distance) AS (
      SELECT id, parent, 1 FROM topics WHERE parent <> 'global'
      UNION ALL
      SELECT up.topic, t.parent, up.distance + 1 FROM up JOIN topics t ON t.id = up.ancestor WHERE t.parent <> 'global'
    ) SELECT topic, ancestor, distance FROM up`);
}
