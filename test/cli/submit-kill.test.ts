import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BIN, requireBuiltCli } from "../support/cli-child.js";

let dir: string;
beforeAll(requireBuiltCli);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "repute-kill-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, REPUTE_DB: "", REPUTE_CONFIG: "" });

/** Runs the built CLI to completion; returns stdout, or throws with stderr. */
function run(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: env(), encoding: "utf8", timeout: 120_000 });
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

/** Every snapshot of a database, and its ledger's size. */
function books(db: string): { snapshots: unknown[]; actions: number; entries: number } {
  const raw = new Database(db, { readonly: true });
  try {
    return {
      snapshots: raw.prepare("SELECT user_id, topic, points, pending, peak FROM snapshots ORDER BY user_id, topic").all(),
      actions: raw.prepare("SELECT count(*) FROM actions").pluck().get() as number,
      entries: raw.prepare("SELECT count(*) FROM entries").pluck().get() as number,
    };
  } finally {
    raw.close();
  }
}

describe("repute submit killed part way", () => {
  it("keeps the batches it committed whole, and running it again gives the books of one uninterrupted run", async () => {
    const actions = 16_000;
    writeFileSync(join(dir, "history.jsonl"), history(actions));
    run(["init", "--preset", "qa"]);

    const reference = JSON.parse(run(["submit", "history.jsonl", "--db", "once.db", "--json"])) as Record<string, number>;
    expect(reference).toMatchObject({ actions, applied: actions, replays: 0 });
    expect(reference.withheld).toBeGreaterThan(0); // the history does reach the daily cap

    // The same file into a new database, killed (SIGKILL: no cleanup runs) after some batches.
    const child = spawn(process.execPath, [BIN, "submit", "history.jsonl", "--db", "killed.db", "--batch-size", "250"], { cwd: dir, env: env(), stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on("exit", (_code, signal) => done(signal)));
    let committed = 0;
    let finished = false;
    void exited.then(() => (finished = true));
    while (!finished && committed < 1_100) {
      await new Promise((r) => setTimeout(r, 2));
      try {
        committed = books(join(dir, "killed.db")).actions;
      } catch {
        // the database or its tables are not there yet
      }
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const left = books(join(dir, "killed.db"));
    expect(left.actions).toBeGreaterThanOrEqual(1_100);
    expect(left.actions).toBeLessThan(actions);
    expect(left.actions % 250).toBe(0); // whole batches only
    expect(run(["verify", "--db", "killed.db"])).toContain("every invariant holds");

    const again = JSON.parse(run(["submit", "history.jsonl", "--db", "killed.db", "--json"])) as Record<string, number>;
    expect(again).toMatchObject({ actions, replays: left.actions, applied: actions - left.actions });
    expect(books(join(dir, "killed.db"))).toEqual(books(join(dir, "once.db")));
    expect(run(["verify", "--db", "killed.db"])).toContain("every invariant holds");
  }, 120_000);
});
