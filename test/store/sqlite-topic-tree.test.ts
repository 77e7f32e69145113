import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteDriver, SqliteTransaction } from "../../src/store/sqlite/sqlite-driver.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";

/**
 * better-sqlite3 with one difference: while `failCommit` is set, a transaction runs
 * its body and then rolls back and throws where it would commit, as a COMMIT that
 * fails (a full disk, an I/O error) does.
 */
function failingCommits(db: Database.Database): { driver: SqliteDriver; failCommit: { on: boolean } } {
  const failCommit = { on: false };
  const driver = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver);
      return <A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R> => {
        const real = target.transaction(fn);
        const immediate = (...args: A): R => {
          if (!failCommit.on) return real.immediate(...args);
          target.exec("BEGIN IMMEDIATE");
          try {
            fn(...args);
          } finally {
            target.exec("ROLLBACK");
          }
          throw new Database.SqliteError("disk I/O error", "SQLITE_IOERR");
        };
        return Object.assign((...args: A) => real(...args), { immediate });
      };
    },
  });
  return { driver: driver as unknown as SqliteDriver, failCommit };
}

describe("SQLite topic tree", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("after a commit that failed, sees the topics another connection added, and not its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), "repute-topics-"));
    dirs.push(dir);
    const path = join(dir, "t.db");
    const { driver, failCommit } = failingCommits(new Database(path));
    const a = SqliteStore.fromDriver(driver);
    const b = SqliteStore.fromDriver(new Database(path) as unknown as SqliteDriver);
    await a.addTopics([{ id: "seen" }], 1);
    failCommit.on = true;
    await expect(a.addTopics([{ id: "lost" }], 2)).rejects.toMatchObject({ code: "STORE_FAILED" });
    failCommit.on = false;
    // The other connection moves the topics' version on by one, as the failed commit would have.
    await b.addTopics([{ id: "other" }], 3);
    expect((await a.topics()).map((t) => t.id)).toEqual(["other", "seen"]);
    expect(await a.topic("lost")).toBeNull();
    expect((await a.addTopics([{ id: "lost" }], 4)).map((t) => t.id)).toEqual(["lost"]);
    await a.close();
    await b.close();
  });
});
