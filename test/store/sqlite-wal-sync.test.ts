import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openRepute } from "../../src/open-repute.js";
import type { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { SqliteWalSync, type SyncTarget, walFile } from "../../src/store/sqlite/sqlite-wal-sync.js";

/** A sync target whose flushes finish when the test says so. */
function heldTarget() {
  const flushes: Array<{ done: () => void; fail: (e: Error) => void }> = [];
  const target: SyncTarget = {
    flush: () => new Promise<void>((done, fail) => flushes.push({ done, fail })),
    close: async () => undefined,
  };
  return { target, flushes };
}

const settled = async (p: Promise<unknown>) => {
  let state = "pending";
  p.then(
    () => (state = "resolved"),
    () => (state = "rejected"),
  );
  await new Promise((r) => setImmediate(r));
  return state;
};

describe("SqliteWalSync", () => {
  it("answers a caller only with a flush that began after its call, and gathers the callers that wait into one flush", async () => {
    const { target, flushes } = heldTarget();
    const wal = new SqliteWalSync(target);
    const first = wal.sync();
    const second = wal.sync(); // its commit may be newer than the running flush
    const third = wal.sync();
    expect(flushes).toHaveLength(1);
    flushes[0]?.done();
    expect(await settled(first)).toBe("resolved");
    expect(await settled(second)).toBe("pending");
    expect(flushes).toHaveLength(2); // one more flush for both waiters
    flushes[1]?.done();
    expect(await settled(second)).toBe("resolved");
    expect(await settled(third)).toBe("resolved");
    expect(flushes).toHaveLength(2);
  });

  it("fails the callers of a failed flush, and the next call flushes afresh", async () => {
    const { target, flushes } = heldTarget();
    const wal = new SqliteWalSync(target);
    const failing = wal.sync();
    flushes[0]?.fail(new Error("EIO"));
    await expect(failing).rejects.toThrow("EIO");
    const next = wal.sync();
    expect(flushes).toHaveLength(2);
    flushes[1]?.done();
    await expect(next).resolves.toBeUndefined();
  });
});

describe("SQLite durability full", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), "repute-wal-"));
    dirs.push(dir);
    return join(dir, "t.db");
  };
  const upvote = (i: number) => ({ id: `v${i}`, type: "upvote", actor: `u${i}`, target: { type: "answer", id: `a${i}`, author: "w" } });

  it("answers a submit only once the WAL has been flushed after its commit; concurrent submits share flushes", async () => {
    const path = fresh();
    const db = new Database(path);
    const real = walFile(`${path}-wal`);
    let flushes = 0;
    let hold: Promise<void> = Promise.resolve();
    const target: SyncTarget = {
      flush: async () => {
        flushes++;
        await hold;
        await real.flush(); // the real fsync of the real WAL file
      },
      close: () => real.close(),
    };
    const repute = await openRepute({ db: SqliteStore.fromDriver(db as unknown as SqliteDriver, "full", path, target), config: "qa" });
    expect(db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL: the flush is ours, off the event loop

    let release = () => undefined as void;
    hold = new Promise<void>((r) => (release = r));
    const before = flushes;
    const pending = Promise.all(Array.from({ length: 10 }, (_, i) => repute.submit(upvote(i))));
    expect(await settled(pending)).toBe("pending"); // committed, not yet durable: not answered
    expect(db.prepare("SELECT COUNT(*) FROM actions").pluck().get()).toBe(10);
    release();
    const results = await pending;
    expect(results.map((r) => r.entries.length)).toEqual(Array(10).fill(2));
    // One flush for the first commit, one for the nine made while it ran.
    expect(flushes - before).toBe(2);
    await repute.close();
  });

  it("uses SQLite's own synchronous=FULL when the store does not know its file", async () => {
    const path = fresh();
    const db = new Database(path);
    const store = SqliteStore.fromDriver(db as unknown as SqliteDriver, "full");
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    await store.close();
  });
});
