import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { BIN, baseEnv, requireBuiltCli } from "../support/cli-child.js";
import { type FreshDatabase, describeStores } from "../support/stores.js";

let dir: string;
beforeAll(requireBuiltCli);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "repute-kill-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI to completion; returns stdout, or throws with stderr. */
function run(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: baseEnv(), encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`repute ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A Q&A site's history over four days: posts in ten tags, votes (some over the daily
 * cap), deletions that take back their posts' votes, and reverted votes. Deterministic.
 */
function history(count: number): string {
  let seed = 20261125;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const lines: string[] = [];
  const posts: Array<{ type: string; id: string; author: string; tag: string }> = [];
  const votes: string[] = [];
  const start = Date.parse("2026-11-01T00:00:00Z");
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i * 15_000).toISOString();
    const user = `u${next(120)}`;
    const roll = next(100);
    if (posts.length < 200 || roll < 5) {
      const type = next(2) === 0 ? "question" : "answer";
      const post = { type, id: `p${i}`, author: user, tag: `t${next(10)}` };
      posts.push(post);
      lines.push(JSON.stringify({ id: `post:${i}`, type: "post", actor: user, target: { type, id: post.id, author: user }, topic: post.tag, at }));
    } else if (roll < 8) {
      const [post] = posts.splice(next(posts.length), 1);
      if (post === undefined) continue;
      lines.push(JSON.stringify({ id: `delete:${i}`, type: "delete", actor: post.author, target: { type: post.type, id: post.id, author: post.author }, topic: post.tag, at }));
    } else if (roll < 10 && votes.length > 0) {
      lines.push(JSON.stringify({ id: `unvote:${i}`, type: "revert", actor: user, reverts: votes[next(votes.length)], at }));
    } else {
      const post = posts[next(posts.length)] as (typeof posts)[number];
      const type = roll < 85 ? "upvote" : "downvote";
      votes.push(`vote:${i}`);
      lines.push(JSON.stringify({ id: `vote:${i}`, type, actor: user, target: { type: post.type, id: post.id, author: post.author }, topic: post.tag, at }));
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The rows of a table, read behind the engine's back. */
const count = async (db: FreshDatabase, table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

/** Every snapshot of a database, and its ledger's size. */
async function books(db: FreshDatabase): Promise<{ snapshots: unknown[]; actions: number; entries: number }> {
  return {
    snapshots: await db.query("SELECT user_id, topic, points, pending, peak FROM snapshots ORDER BY user_id, topic"),
    actions: await count(db, "actions"),
    entries: await count(db, "entries"),
  };
}

describeStores("repute submit killed part way", (kind) => {
  const fresh: FreshDatabase[] = [];
  const database = async () => {
    const db = await kind.fresh();
    fresh.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of fresh.splice(0)) await db.dispose();
  });

  it("keeps the batches it committed whole, and running it again gives the books of one uninterrupted run", async () => {
    const once = await database();
    const killed = await database();
    const actions = 16_000;
    writeFileSync(join(dir, "history.jsonl"), history(actions));
    run(["init", "--preset", "qa"]);

    const reference = JSON.parse(run(["submit", "history.jsonl", "--db", once.location, "--json"])) as Record<string, number>;
    expect(reference).toMatchObject({ actions, applied: actions, replays: 0 });
    expect(reference.withheld).toBeGreaterThan(0); // the history does reach the daily cap

    run(["verify", "--db", killed.location]); // creates the database, so it can be watched from the start
    // The same file into a new database, killed (SIGKILL: no cleanup runs) after some batches.
    const child = spawn(process.execPath, [BIN, "submit", "history.jsonl", "--db", killed.location, "--batch-size", "250"], { cwd: dir, env: baseEnv(), stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on("exit", (_code, signal) => done(signal)));
    let committed = 0;
    let finished = false;
    void exited.then(() => (finished = true));
    while (!finished && committed < 1_100) {
      await new Promise((r) => setTimeout(r, 2));
      committed = await count(killed, "actions");
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const left = await books(killed);
    expect(left.actions).toBeGreaterThanOrEqual(1_100);
    expect(left.actions).toBeLessThan(actions);
    expect(left.actions % 250).toBe(0); // whole batches only
    expect(run(["verify", "--db", killed.location])).toContain("every invariant holds");

    const again = JSON.parse(run(["submit", "history.jsonl", "--db", killed.location, "--json"])) as Record<string, number>;
    expect(again).toMatchObject({ actions, replays: left.actions, applied: actions - left.actions });
    expect(await books(killed)).toEqual(await books(once));
    expect(run(["verify", "--db", killed.location])).toContain("every invariant holds");
  }, 120_000);
});
