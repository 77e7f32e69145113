import type { ReputeConfig } from "../../core/rules/repute-config.js";
import type { SqliteDriver } from "./sqlite-driver.js";
import type { SqliteStatements } from "./sqlite-statements.js";

// The embedded store's rules versions: every configuration the engine has run with, each
// under the version its entries carry, and which one is current (meta `current_version`).

/** Records a configuration (the same hash keeps its version) and makes it current; inside the caller's transaction. */
export function registerRulesVersion(db: SqliteDriver, st: SqliteStatements, config: ReputeConfig, hash: string, now: number): number {
  const found = db.prepare("SELECT version FROM rules_versions WHERE hash = ?").pluck().get(hash) as number | undefined;
  const version =
    found ?? Number(db.prepare("INSERT INTO rules_versions (hash, config, created_at) VALUES (?, ?, ?) RETURNING version").pluck().get(hash, JSON.stringify(config), now));
  st.metaSet.run("current_version", String(version));
  return version;
}

/** The current version's configuration, or null for a new database. */
export function currentRulesConfig(db: SqliteDriver): unknown | null {
  const config = db.prepare("SELECT r.config FROM rules_versions r JOIN meta m ON m.key = 'current_version' AND r.version = CAST(m.value AS INTEGER)").pluck().get() as
    | string
    | undefined;
  return config === undefined ? null : (JSON.parse(config) as unknown);
}

/** Every recorded version with its configuration, oldest first. */
export function listRulesVersions(db: SqliteDriver): Array<{ version: number; config: unknown; createdAt: number }> {
  const rows = db.prepare("SELECT version, config, created_at FROM rules_versions ORDER BY version").all() as Array<{ version: number; config: string; created_at: number }>;
  return rows.map((r) => ({ version: r.version, config: JSON.parse(r.config) as unknown, createdAt: r.created_at }));
}
