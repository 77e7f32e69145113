import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe } from "vitest";
import type { Repute } from "../../src/repute.js";
import { type OpenReputeOptions, openRepute } from "../../src/open-repute.js";
import { pgNumberTypes } from "../../src/store/postgres/pg-number-types.js";

/** A fresh, empty database of one store kind, for one test. */
export interface FreshDatabase {
  /** Where it is: a file path or a postgres:// URL (for child processes and the CLI). */
  location: string;
  /** Opens the engine on this database (as often as a test likes). */
  open(options?: Omit<OpenReputeOptions, "db">): Promise<Repute>;
  /** Runs raw SQL on the database, behind the engine's back (tampering tests). */
  tamper(sql: string): Promise<void>;
  /** Runs a raw query and returns its rows (numbers as numbers). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

/** A store the contract suite runs against. */
export interface StoreKind {
  name: string;
  /** Why it is skipped here, or null when it runs. */
  skipped: string | null;
  fresh(): Promise<FreshDatabase>;
}

const sqlite: StoreKind = {
  name: "sqlite",
  skipped: null,
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), "repute-test-"));
    const path = join(dir, "test.db");
    const opened: Repute[] = [];
    const raw = () => new Database(path);
    return {
      location: path,
      async open(options = {}) {
        const r = await openRepute({ ...options, db: path });
        opened.push(r);
        return r;
      },
      async tamper(sql) {
        const db = raw();
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      async query(sql) {
        const db = raw();
        try {
          return db.prepare(sql).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      },
      async dispose() {
        for (const r of opened) await r.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** The PostgreSQL server the suite may use: `REPUTE_TEST_DATABASE_URL`. */
export const postgresTestUrl = process.env.REPUTE_TEST_DATABASE_URL || undefined;


/** The URL of `base` with Repute's `schema` parameter set. */
export function withSchema(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  return url.toString();
}

const postgres: StoreKind = {
  name: "postgres",
  skipped: postgresTestUrl === undefined ? "REPUTE_TEST_DATABASE_URL is not set" : null,
  async fresh() {
    const base = postgresTestUrl as string;
    const schema = `repute_test_${randomBytes(6).toString("hex")}`;
    const location = withSchema(base, schema);
    const opened: Repute[] = [];
    const client = async <T>(fn: (c: pg.Client) => Promise<T>) => {
      const c = new pg.Client({ connectionString: base, options: `-c search_path=${schema}`, types: pgNumberTypes });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    };
    return {
      location,
      async open(options = {}) {
        const r = await openRepute({ ...options, db: location });
        opened.push(r);
        return r;
      },
      async tamper(sql) {
        await client((c) => c.query(sql));
      },
      async query(sql) {
        return client(async (c) => (await c.query(sql)).rows as Record<string, unknown>[]);
      },
      async dispose() {
        for (const r of opened) await r.close().catch(() => undefined);
        await client((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      },
    };
  },
};

/** Every store kind; the ones this environment cannot run say why. */
export const storeKinds: StoreKind[] = [sqlite, postgres];

/** A describe block per store kind; a kind that cannot run here is skipped with a printed notice. */
export function describeStores(title: string, body: (kind: StoreKind) => void): void {
  for (const kind of storeKinds) {
    if (kind.skipped !== null) {
      console.warn(`[repute] ${title}: ${kind.name} skipped — ${kind.skipped}`);
      describe.skip(`${title}: ${kind.name} (skipped: ${kind.skipped})`, () => body(kind));
    } else {
      describe(`${title}: ${kind.name}`, () => body(kind));
    }
  }
}
