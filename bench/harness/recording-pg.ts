import type pg from "pg";
import type { PgClient, PgPool, PgResult } from "../../src/store/postgres/pg-driver.js";

/** The statements one transaction ran, in order. */
export interface RecordedStatements {
  statements: Array<{ text: string; values: unknown[] | undefined }>;
}

/**
 * A pg pool that records every statement each transaction runs (from BEGIN to
 * COMMIT on one client). Replaying them raw gives the baseline of the issue: raw
 * `pg` running the same statements, without the engine.
 */
export class RecordingPool implements PgPool {
  readonly transactions: RecordedStatements[] = [];

  constructor(private readonly pool: pg.Pool) {}

  query<R>(text: string, values?: unknown[]): Promise<PgResult<R>> {
    return this.pool.query(text, values) as unknown as Promise<PgResult<R>>;
  }

  async connect(): Promise<PgClient> {
    const client = await this.pool.connect();
    let current: RecordedStatements | null = null;
    const done = this.transactions;
    return {
      query: async <R>(text: string, values?: unknown[]) => {
        if (text.startsWith("BEGIN")) current = { statements: [] };
        else if (text === "COMMIT" && current !== null) {
          done.push(current);
          current = null;
        } else if (text === "ROLLBACK") current = null;
        else current?.statements.push({ text, values });
        return client.query(text, values) as unknown as Promise<PgResult<R>>;
      },
      release: (destroy?: boolean | Error) => client.release(destroy),
    };
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

/** Replays recorded transactions with raw pg: a pooled client, BEGIN, the same statements, COMMIT. */
export async function replayPg(pool: pg.Pool, transactions: readonly RecordedStatements[]): Promise<void> {
  for (const tx of transactions) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      for (const s of tx.statements) await client.query(s.text, s.values);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  }
}
