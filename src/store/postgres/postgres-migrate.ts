import { ReputeError } from "../../core/errors.js";
import type { PgPool } from "./pg-driver.js";
import { postgresMigrations } from "./postgres-migrations.js";

/** The advisory lock every instance takes to migrate, so instances starting together migrate once. */
const MIGRATION_LOCK = 0x7265_7075_7465_6d67n; // "reputemg"

/**
 * Applies pending migrations under a session advisory lock, each in its own
 * transaction. Refuses a database a newer Repute migrated.
 */
export async function migratePostgres(pool: PgPool, schema: string, now: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK.toString()]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      const { rows } = await client.query<{ v: number }>("SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations");
      const applied = Number(rows[0]?.v ?? 0);
      const latest = Math.max(...postgresMigrations.map((m) => m.version));
      if (applied > latest) {
        throw new ReputeError("SCHEMA_TOO_NEW", `the database is at schema version ${applied}; this Repute knows up to ${latest}`, { applied, latest });
      }
      for (const m of postgresMigrations) {
        if (m.version <= applied) continue;
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, now]);
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw e;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
