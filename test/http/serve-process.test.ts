import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openRepute } from "../../src/open-repute.js";
import { upvote } from "./http-fixture.js";
import { BIN, baseEnv, isAlive, requireBuiltCli, serve as serveIn } from "../support/cli-child.js";

let dir: string;
/** `repute serve` in this test's temp dir (or `cwd`). */
const serve = (env: Record<string, string>, command?: string[], cwd = dir) => serveIn(env, cwd, command);
beforeAll(requireBuiltCli);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "repute-serve-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("repute serve with invalid settings", () => {
  it.each([
    [{ PORT: "http" }, [], "repute: CONFIG_INVALID: invalid server settings: PORT (--port): must be a whole number"],
    [{}, ["--rate-limit", "-5"], "repute: CONFIG_INVALID: invalid server settings: REPUTE_RATE_LIMIT (--rate-limit): must be at least 0"],
    [{ REPUTE_GROUP_COMMIT: "sometimes" }, [], "repute: CONFIG_INVALID: invalid server settings: REPUTE_GROUP_COMMIT (--group-commit): must be on or off"],
  ])("%j %j exits 1 with one line", (env, flags, line) => {
    const r = spawnSync(process.execPath, [BIN, "serve", ...flags], { cwd: dir, env: { ...baseEnv(), ...env }, encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.stdout).toBe("");
    expect(existsSync(join(dir, "repute.db"))).toBe(false);
  });
});

describe("repute serve, end to end", () => {
  it("under concurrent load, SIGTERM answers what is in flight, stores every acknowledged action exactly once and exits 0", async () => {
    const db = join(dir, "e2e.db");
    const setup = await openRepute({ db, config: "qa" });
    const { key } = await setup.apiKeys.create({ name: "e2e", role: "app" });
    await setup.close();

    const server = await serve({ REPUTE_DB: db, REPUTE_RATE_LIMIT: "0" });
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const attempted = new Set<string>();
    const acknowledged: string[] = [];
    const problems: string[] = [];
    let replays = 0;
    let killedAt = 0;
    let acknowledgedAfterKill = 0;

    const send = (body: object) => fetch(`${server.url}/v1/actions`, { method: "POST", headers, body: JSON.stringify(body) });
    const client = async (c: number) => {
      for (let i = 0; ; i++) {
        const id = `e2e:${c}:${i}`;
        const action = upvote(id, `voter-${c}-${i}`, `author-${c}-${i}`);
        attempted.add(id);
        let res: Response;
        try {
          res = await send(action);
        } catch {
          return; // the server is gone: this action's fate is unknown, and that is allowed
        }
        if (res.status === 503) return void (await res.text().catch(() => ""));
        if (res.status !== 201) return void problems.push(`${id}: ${res.status} ${await res.text()}`);
        acknowledged.push(id);
        if (killedAt > 0) acknowledgedAfterKill++;
        const result = (await res.json().catch(() => null)) as { action?: string } | null;
        if (result !== null && result.action !== id) problems.push(`${id}: answered with the result of ${result.action}`);
        if (i % 7 === 3) {
          // A client retrying an acknowledged action must get the original result back.
          const again = await send(action).catch(() => null);
          if (again === null) return;
          if (again.status === 503) return;
          if (again.status !== 200 || again.headers.get("repute-replay") !== "true") problems.push(`${id} retried: ${again.status}`);
          else replays++;
          await again.text();
        }
      }
    };
    const clients = Array.from({ length: 48 }, (_, c) => client(c));
    const started = Date.now();
    while (acknowledged.length < 400 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    killedAt = Date.now();
    server.child.kill("SIGTERM");
    const exit = await server.exited;
    await Promise.all(clients);

    expect(exit, server.stderr()).toEqual({ code: 0, signal: null });
    expect(problems).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(100);
    expect(replays).toBeGreaterThan(0);
    expect(acknowledgedAfterKill).toBeGreaterThan(0); // requests in flight at the signal were answered

    const raw = new Database(db, { readonly: true });
    const stored = (raw.prepare("SELECT id FROM actions").pluck().all() as string[]).filter((id) => id.startsWith("e2e:"));
    const perAction = raw.prepare("SELECT action_id AS action, count(*) AS n, sum(delta) AS total FROM entries GROUP BY action_id").all() as Array<{ action: string; n: number; total: number }>;
    const globalPoints = (raw.prepare("SELECT sum(points) FROM snapshots WHERE topic = 'global'").pluck().get() as number | null) ?? 0;
    raw.close();

    // Exactly once: no id twice; everything acknowledged is there; nothing that was never sent.
    expect(new Set(stored).size).toBe(stored.length);
    const storedSet = new Set(stored);
    expect(acknowledged.filter((id) => !storedSet.has(id))).toEqual([]);
    expect(stored.filter((id) => !attempted.has(id))).toEqual([]);
    // Each stored upvote applied its two entries once (voter +2, author +10), and nothing else was applied.
    expect(perAction.filter((a) => !(a.n === 2 && a.total === 12))).toEqual([]);
    expect(perAction.map((a) => a.action).sort()).toEqual([...stored].sort());
    expect(globalPoints).toBe(12 * stored.length);

    const repute = await openRepute({ db });
    try {
      expect(await repute.verify()).toEqual({ ok: true, violations: [] });
      const sample = acknowledged[Math.floor(acknowledged.length / 2)] as string;
      const [, c, i] = sample.split(":");
      expect((await repute.reputation(`author-${c}-${i}`)).topics[0]).toMatchObject({ topic: "global", points: 10 });
    } finally {
      await repute.close();
    }
  }, 60_000);

  it("serves the quick start: a key from `repute keys create`, then the API on the default database", async () => {
    const created = spawnSync(process.execPath, [BIN, "keys", "create", "--name", "web", "--role", "app"], { cwd: dir, env: baseEnv(), encoding: "utf8" });
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    const server = await serve({});
    try {
      const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
      const posted = await fetch(`${server.url}/v1/actions`, { method: "POST", headers, body: JSON.stringify(upvote("v1")) });
      expect(posted.status).toBe(201);
      const rep = await fetch(`${server.url}/v1/users/7/reputation`, { headers });
      expect(((await rep.json()) as { topics: Array<{ points: number }> }).topics[0]?.points).toBe(10);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      server.child.kill("SIGINT");
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, "repute.db"))).toBe(true);
  }, 30_000);

  it("`npm start` serves the API and passes SIGTERM on to the server, which stops", async () => {
    const server = await serve({ REPUTE_DB: join(dir, "npm.db"), LOG_LEVEL: "info" }, ["npm", "start", "--silent"], resolve("."));
    // npm runs the server as a child: its pid is on its log lines (which may trail the listening line).
    let pid = Number.NaN;
    for (let i = 0; i < 50 && Number.isNaN(pid); i++) {
      pid = Number(/"pid":(\d+)/.exec(server.stdout())?.[1]);
      if (Number.isNaN(pid)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(pid).toBeGreaterThan(0);
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      server.child.kill("SIGTERM");
      await server.exited;
      let alive = true;
      for (let i = 0; i < 50 && alive; i++) {
        await new Promise((r) => setTimeout(r, 100));
        alive = isAlive(pid);
      }
      expect(alive, "the server outlived npm").toBe(false);
    } finally {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
  }, 30_000);
});
