import type { RuleBook } from "../../core/rule-book.js";
import { publicationSwitch } from "../maintenance/publication-switch.js";
import { rebuildProgram } from "../maintenance/rebuild-program.js";
import { type SqlStep, runSync } from "../maintenance/sql-program.js";
import { verifyProgram } from "../maintenance/verify-program.js";
import type { RebuildReport } from "../store.js";
import type { Violation } from "../violation.js";
import type { SqliteDriver } from "./sqlite-driver.js";
import { listRulesVersions } from "./sqlite-rules-versions.js";

function exec(db: SqliteDriver): (step: SqlStep) => Record<string, unknown>[] {
  return (step) => {
    const st = db.prepare(step.sql);
    if (step.mode === "all") return st.all(...step.params) as Record<string, unknown>[];
    st.run(...step.params);
    return [];
  };
}

/** Rebuilds inside the caller's transaction. */
export function rebuildSqlite(db: SqliteDriver, book: RuleBook, watermark: number): RebuildReport {
  return runSync(rebuildProgram(book, watermark, listRulesVersions(db)), exec(db));
}

/** Verifies inside the caller's transaction. */
export function verifySqlite(db: SqliteDriver, book: RuleBook, watermark: number): Violation[] {
  return runSync(verifyProgram(book, watermark, listRulesVersions(db)), exec(db));
}

/** Inside the caller's transaction: follows `book`'s publication schedule, rebuilding when it changed (see `publicationSwitch`). */
export function followPublicationSqlite(db: SqliteDriver, book: RuleBook, period: number): RebuildReport | null {
  return runSync(publicationSwitch(book.publication.key, period), exec(db)) ? rebuildSqlite(db, book, period) : null;
}
