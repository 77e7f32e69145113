import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import { openRepute } from "../../src/open-repute.js";
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

  it("checkpoints every 10 000 WAL pages, not every 1 000, when nothing checkpoints in the background", async () => {
    const { db, store } = open("normal");
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(10_000);
    await store.close();
  });

  it("a store on a file checkpoints from a background thread once it writes, and stops it on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "repute-settings-"));
    dirs.push(dir);
    const path = join(dir, "t.db");
    const db = new Database(path);
    const repute = await openRepute({ db: SqliteStore.fromDriver(db as unknown as SqliteDriver, "normal", path), config: "qa" });
    const fileSize = () => statSync(path).size;
    const before = fileSize();
    for (let b = 0; b < 20; b++) {
      await repute.submitBatch(Array.from({ length: 200 }, (_, i) => ({ id: `v${b}:${i}`, type: "upvote", actor: `u${i}`, target: { type: "answer", id: `a${b}:${i}`, author: `w${i}` } })));
    }
    // Inline checkpoints only as a backstop now; the pages reach the database file meanwhile.
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(100_000);
    const deadline = Date.now() + 5_000;
    while (fileSize() <= before + 100_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fileSize()).toBeGreaterThan(before + 100_000);
    await repute.close();
    expect((await repute.verify().catch((e: Error) => e)) instanceof Error).toBe(true); // closed for good
  });
});
