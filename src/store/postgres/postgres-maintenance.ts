import type { RuleBook } from "../../core/rule-book.js";
import { publicationSwitch } from "../maintenance/publication-switch.js";
import { rebuildProgram } from "../maintenance/rebuild-program.js";
import { type SqlStep, runAsync } from "../maintenance/sql-program.js";
import { verifyProgram } from "../maintenance/verify-program.js";
import type { RebuildReport } from "../store.js";
import type { Violation } from "../violation.js";
import type { PgQueryable } from "./pg-driver.js";
import { listRulesVersions } from "./postgres-rules-versions.js";

/** Runs maintenance steps, turning `?` placeholders into `$n`. */
function exec(c: PgQueryable): (step: SqlStep) => Promise<Record<string, unknown>[]> {
  return async (step) => {
    let n = 0;
    const text = step.sql.replace(/\?/g, () => `$${++n}`);
    const { rows } = await c.query(text, step.params);
    return step.mode === "all" ? rows : [];
  };
}

/** Rebuilds inside the caller's transaction. */
export async function rebuildPostgres(c: PgQueryable, book: RuleBook, watermark: number): Promise<RebuildReport> {
  return runAsync(rebuildProgram(book, watermark, await listRulesVersions(c)), exec(c));
}

/** Verifies inside the caller's transaction. */
export async function verifyPostgres(c: PgQueryable, book: RuleBook, watermark: number): Promise<Violation[]> {
  return runAsync(verifyProgram(book, watermark, await listRulesVersions(c)), exec(c));
}

/** Inside the caller's transaction: follows `book`'s publication schedule, rebuilding when it changed (see `publicationSwitch`). */
export async function followPublicationPostgres(c: PgQueryable, book: RuleBook, period: number): Promise<RebuildReport | null> {
  return (await runAsync(publicationSwitch(book.publication.key, period), exec(c))) ? rebuildPostgres(c, book, period) : null;
}
