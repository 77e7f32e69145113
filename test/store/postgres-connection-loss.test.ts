import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isReputeError } from "../../src/core/errors.js";
import { qaPreset } from "../../src/core/rules/presets/qa.js";
import type { Repute } from "../../src/repute.js";
import { type FreshDatabase, postgresTestUrl, storeKinds } from "../support/stores.js";

const postgres = storeKinds.find((k) => k.name === "postgres");
const config = { ...qaPreset, topics: { ...qaPreset.topics, rollup: [1, 0.5] } };
const upvote = (id: string, topic: string) => ({ id, type: "upvote", actor: "42", target: { type: "answer", id, author: "7" }, topic });

/**
 * A database connection lost in the middle of a transaction (a failover, a restart, an
 * administrator's pg_terminate_backend) fails that transaction and nothing else: the
 * process goes on, and the next transaction gets a fresh connection.
 */
describe.skipIf(postgres?.skipped !== null)("PostgreSQL: a connection lost mid-transaction", () => {
  let db: FreshDatabase;
  let repute: Repute;
  let raw: pg.Client;

  beforeEach(async () => {
    db = await (postgres as NonNullable<typeof postgres>).fresh();
    repute = await db.open({ config: config as never });
    await repute.addTopics({ id: "lang" });
    const schema = new URL(db.location).searchParams.get("schema") as string;
    raw = new pg.Client({ connectionString: postgresTestUrl, options: `-c search_path=${schema}` });
    await raw.connect();
  });
  afterEach(async () => {
    await raw.end();
    await db.dispose();
  });

  it("fails the transaction it was in with STORE_FAILED, writes nothing of it, and the next one succeeds", async () => {
    // Hold a new topic's row so the engine's transaction waits on it, checked out of the pool.
    await raw.query("BEGIN");
    await raw.query("INSERT INTO topics (id, parent, depth, created_at) VALUES ('rust', 'lang', 2, 0)");
    const pending = repute.submit(upvote("a", "rust")).then(
      () => "applied",
      (e: unknown) => (isReputeError(e) ? e.code : String(e)),
    );
    const waiting = async () => {
      const { rows } = await raw.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO topics%' AND pid <> pg_backend_pid()",
      );
      return rows.map((r) => r.pid);
    };
    let pids: number[] = [];
    for (let i = 0; i < 500 && pids.length === 0; i++) {
      await raw.query("SELECT pg_stat_clear_snapshot()");
      pids = await waiting();
      if (pids.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(pids).toHaveLength(1);
    await raw.query("SELECT pg_terminate_backend($1)", [pids[0]]);
    expect(await pending).toBe("STORE_FAILED");
    await raw.query("ROLLBACK");
    expect((await repute.submit(upvote("b", "rust"))).entries.map((e) => [e.user, e.topic, e.delta])).toContainEqual(["7", "rust", 10]);
    expect(await repute.action("a")).toBeNull();
    expect((await repute.verify()).ok).toBe(true);
  });
});
