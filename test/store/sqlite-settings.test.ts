import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";

describe("SQLite store settings", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = (durability: "normal" | "full") => {
    const dir = mkdtempSync(join(tmpdir(), "repute-settings-"));
    dirs.push(dir);
    const db = new Database(join(dir, "t.db"));
    const store = SqliteStore.fromDriver(db as unknown as SqliteDriver, durability);
    return { db, store };
  };

  it("full durability fsyncs every commit; normal only at checkpoints; both in WAL mode", async () => {
    for (const [durability, level] of [["full", 2], ["normal", 1]] as const) {
      const { db, store } = open(durability);
      expect(db.pragma("synchronous", { simple: true })).toBe(level);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      await store.close();
    }
  });

  it("checkpoints every 10 000 WAL pages, not every 1 000", async () => {
    const { db, store } = open("normal");
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(10_000);
    await store.close();
  });
});
