import { ReputeError } from "../../core/errors.js";
import type { SqliteDriver } from "./sqlite-driver.js";
import { sqliteMigrations } from "./sqlite-migrations.js";

/**
 * Applies pending migrations in one IMMEDIATE transaction, so two processes opening
 * the same file at once migrate it once. Refuses a database a newer Repute migrated.
 */
export function migrateSqlite(db: SqliteDriver): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  const latest = Math.max(...sqliteMigrations.map((m) => m.version));
  db.transaction(() => {
    const applied = Number(db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").pluck().get());
    if (applied > latest) {
      throw new ReputeError("SCHEMA_TOO_NEW", `the database is at schema version ${applied}; this Repute knows up to ${latest}`, { applied, latest });
    }
    for (const m of sqliteMigrations) {
      if (m.version <= applied) continue;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, Date.now());
    }
  }).immediate();
}
