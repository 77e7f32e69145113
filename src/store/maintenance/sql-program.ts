/**
 * Maintenance (rebuild, verify) is written once as a generator that yields SQL
 * steps and receives their rows, so the synchronous SQLite driver runs it inside
 * one better-sqlite3 transaction and the asynchronous PostgreSQL driver awaits each
 * step. Steps use `?` placeholders; a driver converts them if it needs to.
 */
export interface SqlStep {
  sql: string;
  params: unknown[];
  /** `all` returns rows; `run` returns none. */
  mode: "all" | "run";
}

/** A maintenance program: yields steps, receives rows, returns its result. */
export type SqlProgram<T> = Generator<SqlStep, T, Record<string, unknown>[]>;

/** A step that returns rows. */
export function all(sql: string, params: unknown[] = []): SqlStep {
  return { sql, params, mode: "all" };
}

/** A step that returns nothing. */
export function run(sql: string, params: unknown[] = []): SqlStep {
  return { sql, params, mode: "run" };
}

/** Runs a program on a synchronous driver. */
export function runSync<T>(program: SqlProgram<T>, exec: (step: SqlStep) => Record<string, unknown>[]): T {
  let next = program.next([]);
  while (!next.done) next = program.next(exec(next.value));
  return next.value;
}

/** Runs a program on an asynchronous driver. */
export async function runAsync<T>(program: SqlProgram<T>, exec: (step: SqlStep) => Promise<Record<string, unknown>[]>): Promise<T> {
  let next = program.next([]);
  while (!next.done) next = program.next(await exec(next.value));
  return next.value;
}
