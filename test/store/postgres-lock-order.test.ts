import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { snapshotKey } from "../../src/core/snapshot.js";
import type { Repute } from "../../src/repute.js";
import { lockOf } from "../../src/store/postgres/lock-keys.js";
import { type FreshDatabase, postgresTestUrl, storeKinds } from "../support/stores.js";

const postgres = storeKinds.find((k) => k.name === "postgres");

/**
 * Repute's PostgreSQL transactions never wait for one another in a cycle. A revert
 * learns the snapshots it touches only after reading the reverted action, so it locks
 * them in a second round, and one may sort below a lock of its first round. Another
 * transaction that takes the same two locks in the global order (the low one, then
 * the high one) must not be left waiting on it: that cycle is a deadlock, which
 * PostgreSQL breaks only after `deadlock_timeout` (1 s), failing one side.
 */
describe.skipIf(postgres?.skipped !== null)("PostgreSQL: locks taken in a later round", () => {
  let db: FreshDatabase;
  let repute: Repute;
  let raw: pg.Client;

  beforeEach(async () => {
    db = await (postgres as NonNullable<typeof postgres>).fresh();
    repute = await db.open({ config: "qa" });
    raw = new pg.Client({ connectionString: postgresTestUrl });
    await raw.connect();
  });
  afterEach(async () => {
    await raw.end();
    await db.dispose();
  });

  it("a revert backs off from a lock below its first round's instead of waiting for it, so the other side is never deadlocked", async () => {
    // A vote whose id locks above its author's global snapshot (found in the second round).
    const low = lockOf("snapshot", snapshotKey("7", "global"));
    let n = 0;
    while (lockOf("action", `v${n}`) < low || lockOf("action", `r${n}`) < low) n++;
    const [vote, undo] = [`v${n}`, `r${n}`];
    const high = lockOf("action", vote);
    await repute.submit({ id: vote, type: "upvote", actor: "42", target: { type: "answer", id: "9", author: "7" } });

    // The other side holds the low lock, as a transaction in the global order would first.
    await raw.query("BEGIN");
    await raw.query("SELECT pg_advisory_xact_lock($1)", [low.toString()]);
    const reverted = repute.submit({ id: undo, type: "revert", actor: "42", reverts: vote });
    // Once the revert waits for the low lock, the other side asks for the high one, and
    // would wait less than the deadlock timeout for it.
    const waitingForLow = async () => {
      const { rows } = await raw.query<{ classid: string; objid: string }>("SELECT classid::text, objid::text FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
      return rows.some((r) => BigInt.asIntN(64, (BigInt(r.classid) << 32n) | BigInt(r.objid)) === low);
    };
    for (let i = 0; i < 500 && !(await waitingForLow()); i++) await new Promise((r) => setTimeout(r, 2));
    expect(await waitingForLow()).toBe(true);
    await raw.query("SET LOCAL lock_timeout = '900ms'");
    await raw.query("SELECT pg_advisory_xact_lock($1)", [high.toString()]);
    await raw.query("COMMIT");
    expect((await reverted).entries.map((e) => [e.user, e.delta])).toEqual([
      ["42", -2],
      ["7", -10],
    ]);
    expect((await repute.verify()).ok).toBe(true);
  });
});
