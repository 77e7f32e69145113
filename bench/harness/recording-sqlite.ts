import type Database from "better-sqlite3";
import type { SqliteDriver, SqliteStatement, SqliteTransaction } from "../../src/store/sqlite/sqlite-driver.js";

/** The writes one transaction ran: each statement's SQL and parameters, in order. */
export interface RecordedTransaction {
  writes: Array<{ sql: string; params: unknown[] }>;
}

/**
 * A better-sqlite3 database that records every write statement the store runs
 * inside a transaction. Replaying the recording raw gives the baseline the issue
 * asks for: the same row writes, without the engine.
 */
export class RecordingSqlite implements SqliteDriver {
  readonly transactions: RecordedTransaction[] = [];
  private current: RecordedTransaction | null = null;

  constructor(private readonly db: Database.Database) {}

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  prepare(sql: string): SqliteStatement {
    return this.wrap(this.db.prepare(sql) as unknown as SqliteStatement, sql);
  }

  private wrap(st: SqliteStatement, sql: string): SqliteStatement {
    const record = (params: unknown[]) => this.current?.writes.push({ sql, params });
    return {
      run(...params: unknown[]) {
        record(params);
        return st.run(...params);
      },
      get: (...params: unknown[]) => st.get(...params),
      all: (...params: unknown[]) => st.all(...params),
      iterate: (...params: unknown[]) => st.iterate(...params),
      pluck(toggle?: boolean) {
        st.pluck(toggle ?? true);
        return this;
      },
    };
  }

  exec(sql: string): unknown {
    return this.db.exec(sql);
  }

  pragma(source: string, options?: { simple?: boolean }): unknown {
    return this.db.pragma(source, options);
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R> {
    const inner = this.db.transaction(fn);
    const record = (run: () => R): R => {
      const tx: RecordedTransaction = { writes: [] };
      this.current = tx;
      try {
        const r = run();
        this.transactions.push(tx);
        return r;
      } finally {
        this.current = null;
      }
    };
    const wrapped = ((...args: A) => record(() => inner(...args))) as SqliteTransaction<A, R>;
    wrapped.immediate = (...args: A) => record(() => inner.immediate(...args));
    return wrapped;
  }

  close(): unknown {
    return this.db.close();
  }
}

/** Replays recorded transactions raw: one IMMEDIATE transaction each, every statement prepared once. */
export function replay(db: Database.Database, transactions: readonly RecordedTransaction[]): void {
  const cache = new Map<string, Database.Statement>();
  const apply = db.transaction((tx: RecordedTransaction) => {
    for (const w of tx.writes) {
      let st = cache.get(w.sql);
      if (st === undefined) {
        st = db.prepare(w.sql);
        cache.set(w.sql, st);
      }
      st.run(...w.params);
    }
  });
  for (const tx of transactions) apply.immediate(tx);
}
