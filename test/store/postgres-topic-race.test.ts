import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isReputeError } from "../../src/core/errors.js";
import { qaPreset } from "../../src/core/rules/presets/qa.js";
import type { Repute } from "../../src/repute.js";
import { type FreshDatabase, postgresTestUrl, storeKinds } from "../support/stores.js";

const postgres = storeKinds.find((k) => k.name === "postgres");
// Tags created on first use, with a parent topic getting half of what a child gets.
const config = { ...qaPreset, topics: { ...qaPreset.topics, rollup: [1, 0.5] } };
const upvote = (id: string, topic: string) => ({ id, type: "upvote", actor: "42", target: { type: "answer", id, author: "7" }, topic });

/**
 * On PostgreSQL a topic can be made two ways at once: an admin adding it (under a
 * lock on its id) and a submit creating it on first use (no lock; it inserts and
 * skips a duplicate). Each test holds one side open in a raw transaction while the
 * engine does the other, then commits it; the last one ends the engine's connection
 * while it waits instead.
 */
describe.skipIf(postgres?.skipped !== null)("PostgreSQL: the engine's transaction while another holds a new topic's row", () => {
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

  /** Opens the raw side: a transaction that has created `id` under `parent`, not yet committed. */
  async function holdTopic(id: string, parent: string, depth: number): Promise<void> {
    await raw.query("BEGIN");
    await raw.query("INSERT INTO topics (id, parent, depth, created_at) VALUES ($1, $2, $3, 0)", [id, parent, depth]);
    await raw.query("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'topics_version'");
  }

  /** The backends of the engine's transactions blocked on the raw one's row. */
  async function blocked(): Promise<number[]> {
    // Inside a transaction PostgreSQL keeps the first view of the activity statistics; drop it each time.
    await raw.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await raw.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO topics%' AND pid <> pg_backend_pid()",
    );
    return rows.map((r) => r.pid);
  }

  /** Waits until the engine's transaction is blocked on the raw one's row, and returns its backend. */
  async function onceBlocked(): Promise<number> {
    for (let i = 0; i < 500 && (await blocked()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const pids = await blocked();
    expect(pids).toHaveLength(1);
    return pids[0] as number;
  }

  /** Waits until the engine's transaction is blocked on the raw one's row, then commits the raw one. */
  async function commitOnceBlocked(): Promise<void> {
    await onceBlocked();
    await raw.query("COMMIT");
  }

  it("a vote in a tag an admin is adding under a parent is decided under that parent", async () => {
    await holdTopic("rust", "lang", 2);
    const vote = repute.submit(upvote("v1", "rust"));
    await commitOnceBlocked();
    const result = await vote;
    expect(result.entries.filter((e) => e.user === "7").map((e) => [e.topic, e.delta])).toEqual([
      ["rust", 10],
      ["lang", 5],
      ["global", 10],
    ]);
    expect((await repute.topics()).find((t) => t.id === "rust")).toMatchObject({ parent: "lang", depth: 2 });
    expect(await repute.verify()).toEqual({ ok: true, violations: [] });
  });

  it("adding a topic a vote is creating answers as if the vote came first: no change, or TOPIC_CONFLICT", async () => {
    await holdTopic("go", "global", 1);
    const same = repute.addTopics({ id: "go" });
    await commitOnceBlocked();
    expect(await same).toEqual([]);

    await holdTopic("zig", "global", 1);
    const other = repute.addTopics({ id: "zig", parent: "lang" });
    await commitOnceBlocked();
    const error = await other.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isReputeError(error) && error.code).toBe("TOPIC_CONFLICT");
    expect((await repute.topics()).find((t) => t.id === "zig")).toMatchObject({ parent: "global", depth: 1 });
    expect(await repute.verify()).toEqual({ ok: true, violations: [] });
  });

  // A connection lost in the middle of a transaction (a failover, a restart, an
  // administrator's pg_terminate_backend) fails that transaction and nothing else: the
  // process goes on, and the next transaction gets a fresh connection.
  it("a connection lost while the engine's transaction waits fails it with STORE_FAILED, writes nothing of it, and the next one succeeds", async () => {
    await holdTopic("rust", "lang", 2);
    const vote = repute.submit(upvote("a", "rust")).then(
      () => "applied",
      (e: unknown) => (isReputeError(e) ? e.code : String(e)),
    );
    await raw.query("SELECT pg_terminate_backend($1)", [await onceBlocked()]);
    expect(await vote).toBe("STORE_FAILED");
    await raw.query("ROLLBACK");
    expect((await repute.submit(upvote("b", "rust"))).entries.map((e) => [e.user, e.topic, e.delta])).toContainEqual(["7", "rust", 10]);
    expect(await repute.action("a")).toBeNull();
    expect((await repute.verify()).ok).toBe(true);
  });
});
