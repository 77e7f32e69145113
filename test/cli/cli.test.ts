import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { BIN, baseEnv, requireBuiltCli } from "../support/cli-child.js";
import { postgresTestUrl, withSchema } from "../support/stores.js";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

let dir: string;

/** Runs the built `repute` binary in the test's directory. */
function repute(args: string[], options: { input?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    input: options.input,
    encoding: "utf8",
    env: { ...baseEnv(), ...options.env },
    timeout: 60_000,
  });
}

/** Runs and expects success; returns stdout. */
function ok(args: string[], input?: string): string {
  const r = repute(args, input === undefined ? {} : { input });
  if (r.status !== 0) throw new Error(`repute ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function json<T = Record<string, unknown>>(args: string[]): T {
  return JSON.parse(ok([...args, "--json"])) as T;
}

const lines = (...actions: object[]) => actions.map((a) => JSON.stringify(a)).join("\n");
const points = (user: string, topic?: string) =>
  json<{ topics: Array<{ topic: string; points: number }> }>(["show", user, ...(topic === undefined ? [] : ["--topic", topic])]).topics.find((t) => t.topic === (topic ?? "global"))?.points;

beforeAll(requireBuiltCli);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "repute-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("repute init", () => {
  it("writes a complete config from a preset, and will not overwrite it without --force", () => {
    expect(ok(["init", "--preset", "interests"])).toContain("wrote ./repute.config.json (preset interests");
    const config = JSON.parse(readFileSync(join(dir, "repute.config.json"), "utf8"));
    expect(config.topics.rollup).toEqual([1, 0.5, 0.25]);
    expect(config.rules).toHaveLength(7);
    const again = repute(["init", "--preset", "qa"]);
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe("repute: CONFIG_INVALID: ./repute.config.json already exists; pass --force to overwrite it");
    expect(ok(["init", "--preset", "qa", "--force"])).toContain("(preset qa: 6 rules, 1 cap group, 9 levels). Commands in this directory now use it.");
    // Written elsewhere, it is used only when named.
    expect(ok(["init", "--preset", "qa", "--out", "other config.json"])).toContain("Commands use it with --config 'other config.json'.");
    expect(repute(["init", "--preset", "reddit"]).stderr).toContain("unknown preset");
  });

  it("says which file it cannot write, with a code, and writes nothing", () => {
    const r = repute(["init", "--out", "missing/repute.config.json"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^repute: CONFIG_INVALID: cannot write config file missing\/repute\.config\.json: ENOENT/);
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });
});

describe("the qa preset through the CLI", () => {
  it("gives every number of the table", () => {
    ok(["init", "--preset", "qa"]);
    const q = (id: string, author: string) => ({ type: "question", id, author });
    const a = (id: string, author: string) => ({ type: "answer", id, author });
    const summary = ok(
      ["submit", "-"],
      lines(
        { id: "p1", type: "post", actor: "asker", target: q("1", "asker") },
        { id: "p2", type: "post", actor: "answerer", target: a("2", "answerer") },
        { id: "v1", type: "upvote", actor: "voter", target: a("2", "answerer") },
        { id: "v2", type: "downvote", actor: "critic", target: q("1", "asker") },
        { id: "v3", type: "upvote", actor: "asker", target: q("1", "asker") },
        { id: "w1", type: "view", actor: "voter", target: q("1", "asker") },
      ),
    );
    expect(summary).toContain("submitted 6 actions in 1 batch: 6 applied, 0 already applied");
    expect(points("asker")).toBe(5 - 2); // posted +5, downvoted -2, own upvote nothing
    expect(points("answerer")).toBe(10 + 10);
    expect(points("voter")).toBe(2);
    expect(points("critic")).toBe(-1);
    ok(["submit"], lines({ id: "d1", type: "delete", actor: "asker", target: q("1", "asker") }, { id: "d2", type: "delete", actor: "mod", target: a("9", "answerer") }));
    // Deleting the question costs 5 and takes back the downvote's -2.
    expect(points("asker")).toBe(3 - 5 + 2);
    expect(points("critic")).toBe(0);
    expect(points("answerer")).toBe(20 - 10);
  });

  it("caps upvote points at 200 a day", () => {
    ok(["init", "--preset", "qa"]);
    const votes = Array.from({ length: 25 }, (_, i) => ({ id: `v${i}`, type: "upvote", actor: `w${i}`, target: { type: "answer", id: `${i}`, author: "star" }, at: "2026-11-20T10:00:00Z" }));
    ok(["submit", "--batch-size", "7"], lines(...votes));
    expect(points("star")).toBe(200);
  });

  it("is idempotent: submitting the same file twice applies it once", () => {
    const file = join(dir, "actions.jsonl");
    writeFileSync(file, lines({ id: "v1", type: "upvote", actor: "1", target: { type: "answer", id: "9", author: "2" } }));
    expect(ok(["submit", file])).toContain("submitted 1 action in 1 batch: 1 applied, 0 already applied (replays); 2 ledger entries, 0 level changes;");
    expect(ok(["submit", file])).toContain("0 applied, 1 already applied (replays); 0 ledger entries");
    expect(points("2")).toBe(10);
  });

  it("reverts, and explains every entry in the history", () => {
    ok(["submit"], lines({ id: "v1", type: "upvote", actor: "1", target: { type: "answer", id: "9", author: "2" }, topic: "hops" }));
    ok(["submit"], lines({ id: "r1", type: "revert", actor: "1", reverts: "v1" }));
    expect(points("2")).toBe(0);
    const history = ok(["history", "2"]);
    expect(history).toContain("revert of v1");
    expect(history).toContain("upvote (answer 9) by 1 in hops");
    const again = repute(["submit"], { input: lines({ id: "r2", type: "revert", actor: "1", reverts: "nope" }) });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('ACTION_NOT_FOUND: line 1: action "nope" does not exist');
    expect(ok(["action", "v1"])).toContain("reverted by r1");
  });

  it("says why an action gave no points", () => {
    const vote = { type: "upvote", actor: "1", target: { type: "answer", id: "9", author: "2" }, at: "2026-11-20T10:00:00Z" };
    expect(ok(["submit"], lines({ id: "v1", ...vote }, { id: "v2", ...vote }))).toContain("2 ledger entries, 0 level changes, 2 awards withheld;");
    expect(ok(["action", "v2"])).toBe(
      "v2: upvote by 1 on answer 9 (author 2) at 2026-11-20T10:00:00.000Z\n(no points)\n" +
        "withheld from 1: +2, upvote (answer 9): already given by v1 (once per actor and target)\n" +
        "withheld from 2: +10, upvote (answer 9) by 1: already given by v1 (once per actor and target)\n",
    );
  });
});

describe("repute show", () => {
  it("shows progress to the next level in whole percent, rounded down", () => {
    writeFileSync(join(dir, "repute.config.json"), JSON.stringify({ levels: { default: [{ name: "A", min: 0 }, { name: "B", min: 200 }] } }));
    const progress = () => ok(["show", "u"]).match(/B at 200\s+(\S+)/)?.[1];
    ok(["adjust", "u", "58", "--reason", "r"]); // 0.29, which is 28.999… × 100 in floating point
    expect(progress()).toBe("29%");
    ok(["adjust", "u", "141", "--reason", "r"]); // 0.995: not yet the next level
    expect(progress()).toBe("99%");
  });
});

describe("next-page hints", () => {
  /** Runs a printed `repute …` line through the shell, as a user pasting it would. */
  const runHint = (hint: string) => {
    const r = spawnSync("sh", ["-c", hint.replace(/^more: repute /, `"${process.execPath}" "${BIN}" `)], { cwd: dir, encoding: "utf8", env: baseEnv(), timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${hint} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  const hintOf = (out: string) => out.split("\n").find((l) => l.startsWith("more: ")) ?? null;

  it("run as printed, give the next page of the same listing on the same database", () => {
    const db = ["--db", "my books.db"];
    ok(["init", "--preset", "qa"]);
    for (const t of ["hops", "malt"]) ok([...db, "topics", "add", t]);
    for (let i = 0; i < 5; i++) {
      ok([...db, "adjust", "u", "1", "--reason", "r", "--topic", "hops", "--id", `h${i}`]);
      ok([...db, "adjust", `w${i}`, String(i + 1), "--reason", "r", "--topic", "malt", "--id", `m${i}`]);
    }
    let out = ok([...db, "history", "u", "--topic", "hops", "--limit", "2"]);
    expect(hintOf(out)).toMatch(/^more: repute --db 'my books\.db' history u --topic hops --limit 2 --cursor \S+$/);
    const seen = [...out.matchAll(/\bh\d\b/g)].map((m) => m[0]);
    for (let hint = hintOf(out); hint !== null; hint = hintOf(out)) {
      out = runHint(hint);
      seen.push(...[...out.matchAll(/\bh\d\b/g)].map((m) => m[0]));
    }
    expect(seen).toEqual(["h4", "h3", "h2", "h1", "h0"]);

    const board = ok([...db, "leaderboard", "malt", "--limit", "3"]);
    expect(hintOf(board)).toMatch(/^more: repute --db 'my books\.db' leaderboard malt --limit 3 --cursor \S+$/);
    const next = runHint(hintOf(board) as string);
    expect([...next.matchAll(/\bw\d\b/g)].map((m) => m[0])).toEqual(["w1", "w0"]);
    expect(hintOf(next)).toBeNull();
  });

  it("put a user id that starts with a dash after --, so it is not read as a flag", () => {
    for (let i = 0; i < 3; i++) ok(["adjust", "--reason", "r", "--id", `d${i}`, "--", "-ana", "1"]);
    const out = ok(["history", "--limit", "2", "--", "-ana"]);
    expect(hintOf(out)).toMatch(/^more: repute history --limit 2 --cursor \S+ -- -ana$/);
    expect([...runHint(hintOf(out) as string).matchAll(/\bd\d\b/g)].map((m) => m[0])).toEqual(["d0"]);
  });
});

describe("the interests preset through the CLI", () => {
  it("rolls +10 in a third-level topic up as +5 and +2, with levels", () => {
    ok(["init", "--preset", "interests"]);
    ok(["topics", "add", "drinks"]);
    ok(["topics", "add", "beer", "--parent", "drinks"]);
    expect(ok(["topics", "add", "ipa", "--parent", "beer"])).toBe("added topic ipa under beer\n");
    expect(ok(["topics", "list"])).toMatch(/drinks\s+global\s+1\n\s+beer\s+drinks\s+2\n\s+ipa\s+beer\s+3/);
    ok(["adjust", "u", "10", "--reason", "welcome", "--topic", "ipa", "--id", "adj1"]);
    expect([points("u", "ipa"), points("u", "beer"), points("u", "drinks")]).toEqual([10, 5, 2]);
    const show = json<{ topics: Array<{ topic: string; level: string; next: { name: string } | null; progress: number }> }>(["show", "u"]);
    expect(show.topics.map((t) => [t.topic, t.level, t.next?.name, t.progress])).toEqual([
      ["beer", "Curious", "Reader", 0.5],
      ["drinks", "Curious", "Reader", 0.2],
      ["ipa", "Reader", "Practitioner", 0],
    ]);
    ok(["submit"], lines({ id: "s1", type: "select_interest", actor: "v", topic: "beer" }, { id: "s2", type: "select_interest", actor: "v", topic: "beer" }));
    expect(points("v", "beer")).toBe(5);
    const board = json<{ entries: Array<{ rank: number; user: string; points: number }> }>(["leaderboard", "beer"]);
    expect(board.entries.map((e) => [e.rank, e.user, e.points])).toEqual([
      [1, "u", 5],
      [1, "v", 5],
    ]);
    expect(ok(["rank", "v", "drinks"])).toBe("v is #1 of 2 in drinks with 2 points (Curious)\n");

    expect(repute(["submit"], { input: lines({ id: "s3", type: "select_interest", actor: "v", topic: "sake" }) }).stderr).toContain("TOPIC_NOT_FOUND");
  });
});

describe("output into a pipe", () => {
  it("stops quietly when the reader closes the pipe early, as `repute history u | head` does", async () => {
    ok(["init", "--preset", "qa"]);
    ok(["submit"], lines(...Array.from({ length: 30 }, (_, i) => ({ id: `p${i}`, type: "post", actor: "u", target: { type: "answer", id: `${i}`, author: "u" } }))));
    const child = spawn(process.execPath, [BIN, "history", "u", "--limit", "100"], { cwd: dir, env: baseEnv(), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before the first line is written
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect([code, stderr]).toEqual([0, ""]);
  });
});

describe("bad input", () => {
  const good = (i: number) => ({ id: `g${i}`, type: "upvote", actor: "1", target: { type: "answer", id: `${i}`, author: "2" } });

  it.each([
    ["malformed JSON", "{not json", "VALIDATION_FAILED: line 3: not valid JSON"],
    ["an unknown action type", JSON.stringify({ id: "x", type: "teleport", actor: "1" }), 'UNKNOWN_ACTION_TYPE: line 3: unknown action type "teleport"'],
    ["a missing id", JSON.stringify({ type: "upvote", actor: "1" }), "VALIDATION_FAILED: line 3: invalid action: id:"],
    ["a wrong field type", JSON.stringify({ id: "x", type: "upvote", actor: 1 }), "VALIDATION_FAILED: line 3: invalid action: actor:"],
    ["an unknown field", JSON.stringify({ id: "x", type: "upvote", actor: "1", extra: 1 }), 'VALIDATION_FAILED: line 3: invalid action: (root): unknown field "extra"'],
    ["a line that is not an object", "[1]", "VALIDATION_FAILED: line 3: invalid action: (root): must be an object, not an array"],
  ])("%s is one clear error, and nothing of the failed batch is written", (_name, bad, message) => {
    const input = [lines(good(1), good(2)), bad, lines(good(4))].join("\n");
    const r = repute(["submit", "--batch-size", "2"], { input });
    expect(r.status).toBe(1);
    const errorLines = r.stderr.trim().split("\n");
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(`repute: ${message}`);
    expect(errorLines[0]).toContain("the 2 actions before its batch were committed");
    // Lines 1-2 were a committed batch; line 4 was never written.
    expect(points("2")).toBe(20);
    expect(repute(["action", "g4"]).status).toBe(1);
  });

  it("a failing action in a batch leaves its whole batch unwritten", () => {
    const r = repute(["submit", "--batch-size", "10"], { input: lines(good(1), good(2), { id: "r", type: "revert", actor: "1", reverts: "missing" }, good(3)) });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("line 3");
    expect(r.stderr).toContain("nothing was written");
    expect(points("2")).toBe(0);
  });

  it("refuses numbers in other notations and a seed that is not one", () => {
    expect(repute(["demo", "--seed", "abc"]).stderr.trim()).toBe("repute: VALIDATION_FAILED: --seed must be a whole number from 0 to 4294967295");
    expect(repute(["demo", "--users", "1e3"]).stderr.trim()).toBe("repute: VALIDATION_FAILED: --users must be a whole number from 1 to 1000000");
    expect(repute(["history", "u", "--limit", "1e1"]).status).toBe(1);
    expect(repute(["adjust", "u", "0x10", "--reason", "x"]).status).toBe(1);
    expect(existsSync(join(dir, "repute-demo.db"))).toBe(false);
  });

  it("a port that is taken is a one-line CONFIG_INVALID from serve", async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, "127.0.0.1", done));
    try {
      const port = (taken.address() as AddressInfo).port;
      const r = repute(["serve", "--host", "127.0.0.1", "--port", String(port)]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^repute: CONFIG_INVALID: cannot listen on 127\\.0\\.0\\.1:${port}: listen EADDRINUSE`));
    } finally {
      taken.close();
    }
  });

  it("names the line that broke a batch when an id repeats in it", () => {
    const post = { id: "dup", type: "post", actor: "2", target: { type: "question", id: "1", author: "2" } };
    const r = repute(["submit"], { input: lines(good(1), post, { ...post, type: "view" }, good(4)) });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^repute: ACTION_ID_CONFLICT: line 3: action "dup" was already submitted with different content/);
    expect(points("2")).toBe(0);
  });

  it("reports a missing file, a directory, a bad config and an unknown topic as one line each", () => {
    expect(repute(["submit", "nope.jsonl"]).stderr.trim()).toMatch(/^repute: VALIDATION_FAILED: cannot read nope\.jsonl/);
    expect(repute(["submit", "."]).stderr.trim()).toMatch(/^repute: VALIDATION_FAILED: cannot read \.: /);
    writeFileSync(join(dir, "bad.json"), "{");
    expect(repute(["--config", "bad.json", "show", "x"]).stderr.trim()).toMatch(/^repute: CONFIG_INVALID: config file bad\.json is not valid JSON/);
    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ rules: [{ id: "a", action: "x", cap: "nope" }] }));
    expect(repute(["--config", "wrong.json", "show", "x"]).stderr.trim()).toBe(
      'repute: CONFIG_INVALID: invalid config: rules[0].cap: cap group "nope" is not defined under caps',
    );
    // A refused configuration creates no database.
    expect(repute(["--db", "new.db", "--config", "wrong.json", "show", "x"]).status).toBe(1);
    expect(existsSync(join(dir, "new.db"))).toBe(false);
    expect(repute(["leaderboard", "nowhere"]).stderr.trim()).toBe('repute: TOPIC_NOT_FOUND: topic "nowhere" does not exist');
    const afterOne = repute(["submit", "--batch-size", "1"], { input: `${lines({ id: "one", type: "post", actor: "1", target: { type: "question", id: "1", author: "1" } })}\n{` });
    expect(afterOne.stderr).toContain("(the action before its batch was committed; resubmitting the input is safe (their ids replay))");
    for (const limit of ["abc", "0", "1.5", "101"]) {
      expect(repute(["history", "x", "--limit", limit]).stderr.trim()).toBe("repute: VALIDATION_FAILED: invalid history query: limit: must be a whole number from 1 to 100");
    }
    const usage = repute(["show"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'user'");
  });
});

describe("maintenance and options", () => {
  it("rebuild and verify report on the ledger; verify exits 1 on a violation", () => {
    ok(["submit"], lines({ id: "v1", type: "upvote", actor: "1", target: { type: "answer", id: "9", author: "2" } }));
    expect(ok(["rebuild"])).toBe("rebuilt 2 snapshots from 2 entries; 0 differed from the kept snapshots\n");
    expect(ok(["verify"])).toBe("ok: every invariant holds\n");
    const db = new Database(join(dir, "repute.db"));
    db.exec("UPDATE snapshots SET points = 7 WHERE user_id = '2'");
    db.close();
    const bad = repute(["verify"]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("violation [snapshot-sum] snapshot 2/global holds 7 but its entries sum to 10");
    const asJson = repute(["verify", "--json"]);
    expect(asJson.status).toBe(1);
    expect(JSON.parse(asJson.stdout).ok).toBe(false);
  });

  it("creates, lists and revokes API keys; a key is printed once and stored hashed", () => {
    const created = repute(["keys", "create", "--name", "web", "--role", "app"]);
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^rpk_/);
    expect(created.stderr).toContain('created app key "web"');
    expect(ok(["keys", "list"])).toMatch(/web\s+app\s+rpk_\S+…/);
    expect(ok(["keys", "list"])).not.toContain(key);
    expect(repute(["keys", "create", "--name", "web", "--role", "read"]).stderr.trim()).toBe('repute: KEY_NAME_TAKEN: an active API key is already named "web"');
    expect(ok(["keys", "revoke", "web"])).toBe('revoked key "web"\n');
    ok(["keys", "create", "--name", "web", "--role", "app"]);
    expect(JSON.parse(ok(["keys", "revoke", "web", "--json"]))).toEqual({ revoked: "web" });
    expect(repute(["keys", "revoke", "web"]).stderr.trim()).toBe('repute: KEY_NOT_FOUND: no active API key is named "web"');
    // Times in ISO 8601, as every other read prints them.
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    expect(JSON.parse(ok(["keys", "create", "--name", "ops", "--role", "admin", "--json"])).createdAt).toMatch(iso);
    const list = json<Array<{ name: string; createdAt: string; revokedAt: string | null }>>(["keys", "list"]);
    expect(list.find((k) => k.name === "web")?.revokedAt).toMatch(iso);
    expect(list.find((k) => k.name === "ops")).toMatchObject({ createdAt: expect.stringMatching(iso), revokedAt: null });
  });

  it("takes the database from --db or REPUTE_DB", () => {
    ok(["--db", "a.db", "adjust", "u", "5", "--reason", "x"]);
    expect(existsSync(join(dir, "a.db"))).toBe(true);
    expect(JSON.parse(repute(["show", "u", "--json"], { env: { REPUTE_DB: "a.db" } }).stdout).topics[0].points).toBe(5);
    expect(JSON.parse(repute(["show", "u", "--json"]).stdout).topics[0].points).toBe(0);
  });

  it("demo simulates a community and prints its leaderboards", () => {
    const out = ok(["demo", "--users", "300", "--actions", "3000"]);
    expect(out).toMatch(/simulated 3000 actions by up to 300 users over 22 topics/);
    for (const t of ["beer", "wine", "spirits"]) expect(out).toContain(`leaderboard: ${t}`);
    expect(out).toMatch(/rank\s+user\s+points\s+level\n\s+1\s+u\d+/);
    expect(out).toContain("verify: every invariant holds");
    expect(existsSync(join(dir, "repute-demo.db"))).toBe(true);
  });
});

describe.skipIf(postgresTestUrl === undefined)("every command on a postgres:// URL", () => {
  const schema = `repute_cli_${process.pid}`;
  const drop = async () => {
    const c = new pg.Client({ connectionString: postgresTestUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  };
  afterEach(drop);

  it("works unchanged", async () => {
    const env = { REPUTE_DB: withSchema(postgresTestUrl as string, schema) };
    const run = (args: string[], input?: string) => {
      const r = repute(args, { env, ...(input === undefined ? {} : { input }) });
      if (r.status !== 0) throw new Error(`repute ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
      return r.stdout;
    };
    ok(["init", "--preset", "interests"]);
    run(["topics", "add", "beer"]);
    run(["topics", "add", "ipa", "--parent", "beer"]);
    expect(run(["submit"], lines({ id: "s1", type: "select_interest", actor: "ana", topic: "ipa" }, { id: "s2", type: "select_interest", actor: "bo", topic: "beer" }))).toContain("2 applied");
    run(["adjust", "bo", "4", "--reason", "welcome", "--topic", "beer", "--id", "adj"]);
    expect(JSON.parse(run(["show", "ana", "--json"])).topics.map((t: { topic: string; points: number }) => [t.topic, t.points])).toEqual([
      ["beer", 2],
      ["ipa", 5],
    ]);
    expect(run(["leaderboard", "beer"])).toMatch(/1\s+bo\s+9\s+0\s+Curious\n\s+2\s+ana\s+2\s+0\s+Curious/);
    expect(run(["rank", "ana", "beer"])).toBe("ana is #2 of 2 in beer with 2 points (Curious)\n");
    expect(run(["history", "bo"])).toContain("adjustment by");
    expect(run(["action", "s1"])).toContain("s1: select_interest by ana in ipa");
    expect(run(["topics", "list"])).toContain("ipa");
    expect(run(["keys", "create", "--name", "k", "--role", "read"])).toMatch(/^rpk_/);
    expect(run(["keys", "list"])).toContain("k");
    expect(run(["rebuild"])).toContain("0 differed");
    expect(run(["verify"])).toBe("ok: every invariant holds\n");
  });
});
