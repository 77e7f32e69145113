import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type OpenReputeOptions, type Repute, openRepute } from "../../src/repute.js";

/** A fresh, empty database of one store kind, for one test. */
export interface FreshDatabase {
  /** Opens the engine on this database (as often as a test likes). */
  open(options?: Omit<OpenReputeOptions, "db">): Promise<Repute>;
  /** Runs raw SQL on the database, behind the engine's back (tampering tests). */
  tamper(sql: string): Promise<void>;
  /** Runs a raw query and returns its rows. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

/** A store the contract suite runs against. */
export interface StoreKind {
  name: string;
  fresh(): Promise<FreshDatabase>;
}

const sqlite: StoreKind = {
  name: "sqlite",
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), "repute-test-"));
    const path = join(dir, "test.db");
    const opened: Repute[] = [];
    const raw = () => new Database(path);
    return {
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

/** Every store this environment can test: SQLite always; more join as they are configured. */
export const storeKinds: StoreKind[] = [sqlite];
