import type { ReputeConfig } from "../../core/rules/repute-config.js";
import type { PgQueryable } from "./pg-driver.js";

// The PostgreSQL store's rules versions: every configuration the engine has run with, each
// under the version its entries carry, and which one is current (meta `current_version`).

/** Records a configuration (the same hash keeps its version) and makes it current; inside the caller's transaction. */
export async function registerRulesVersion(c: PgQueryable, config: ReputeConfig, hash: string, now: number): Promise<number> {
  await c.query("INSERT INTO rules_versions (hash, config, created_at) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING", [hash, JSON.stringify(config), now]);
  const { rows } = await c.query<{ version: number }>("SELECT version FROM rules_versions WHERE hash = $1", [hash]);
  const version = Number(rows[0]?.version);
  await c.query("INSERT INTO meta (key, value) VALUES ('current_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(version)]);
  return version;
}

/** The current version's configuration, or null for a new database. */
export async function currentRulesConfig(db: PgQueryable): Promise<unknown | null> {
  const { rows } = await db.query<{ config: string }>("SELECT r.config FROM rules_versions r JOIN meta m ON m.key = 'current_version' AND r.version = m.value::bigint");
  return rows[0] === undefined ? null : (JSON.parse(rows[0].config) as unknown);
}

/** Every recorded version with its configuration, oldest first. */
export async function listRulesVersions(db: PgQueryable): Promise<Array<{ version: number; config: unknown; createdAt: number }>> {
  const { rows } = await db.query<{ version: number; config: string; created_at: number }>("SELECT version, config, created_at FROM rules_versions ORDER BY version");
  return rows.map((r) => ({ version: Number(r.version), config: JSON.parse(r.config) as unknown, createdAt: Number(r.created_at) }));
}
