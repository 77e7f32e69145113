import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { type ServeChild, killAll, requireBuiltCli, serve as serveIn } from "../support/cli-child.js";
import { type FreshDatabase, describeStores } from "../support/stores.js";
import { upvote } from "./http-fixture.js";

beforeAll(requireBuiltCli);

/**
 * The promise a host application relies on when its reputation service dies: an
 * answered action is stored, nothing is half-written, and sending everything again
 * applies each action exactly once. The service is killed with SIGKILL (no shutdown
 * code runs) while 32 clients submit single actions and batches, three times over, then
 * restarted for the retry.
 */
describeStores("repute serve killed under load", (kind) => {
  let db: FreshDatabase;
  let dir: string;
  /** Every server the test started, so a failed test leaves none running. */
  const servers: ServeChild[] = [];
  const serve = async (env: Record<string, string>) => {
    const server = await serveIn(env, dir);
    servers.push(server);
    return server;
  };
  beforeEach(async () => {
    db = await kind.fresh();
    dir = mkdtempSync(join(tmpdir(), "repute-crash-"));
  });
  afterEach(async () => {
    await killAll(servers);
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the database holds, read behind the engine's back: action ids, and each action's entry count and sum. */
  const stored = async () => {
    const ids = (await db.query("SELECT id FROM actions")).map((r) => r.id as string);
    const perAction = await db.query("SELECT action_id AS action, count(*) AS n, CAST(sum(delta) AS BIGINT) AS total FROM entries GROUP BY action_id");
    const global = await db.query("SELECT CAST(coalesce(sum(points), 0) AS BIGINT) AS points FROM snapshots WHERE topic = 'global'");
    return { ids, perAction: perAction as Array<{ action: string; n: number; total: number }>, globalPoints: Number(global[0]?.points) };
  };

  /** Every invariant `verify` checks, on a fresh engine over what the dead service left. */
  const verified = async () => {
    const repute = await db.open();
    try {
      return await repute.verify();
    } finally {
      await repute.close();
    }
  };

  // SQLite: the default (group commit, answers after the WAL's fsync) and its other path
  // (a transaction per request, answered at commit). PostgreSQL: its own durability.
  const settings: Array<[string, Record<string, string>]> = [["the service's defaults", {}]];
  if (kind.name === "sqlite") settings.push(["group commit off, durability normal", { REPUTE_GROUP_COMMIT: "off", REPUTE_DURABILITY: "normal" }]);
  it.each(settings)("%s: loses no answered action, leaves nothing half-written, and a retry of everything applies each action once", async (_name, settings) => {
    const setup = await db.open({ config: "qa" });
    const { key } = await setup.apiKeys.create({ name: "crash", role: "app" });
    await setup.close();
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const env = { REPUTE_DB: db.location, REPUTE_RATE_LIMIT: "0", ...settings };

    /** What one request sends: one action, or a batch (all or nothing). */
    type Request = { actions: Array<ReturnType<typeof upvote>>; batch: boolean };
    const post = (url: string, r: Request) =>
      fetch(`${url}/v1/actions`, { method: "POST", headers, body: JSON.stringify(r.batch ? { actions: r.actions } : r.actions[0]) });
    /** An answer's results, one per action, in order. */
    const resultsOf = (r: Request, body: Record<string, unknown>) => (r.batch ? ((body.results as Array<Record<string, unknown>> | undefined) ?? []) : [body]);

    const sent: Request[] = [];
    const answered = new Map<string, Record<string, unknown>>();
    const problems: string[] = [];
    const ids = (r: Request) => r.actions.map((a) => a.id);

    for (let crash = 1; crash <= 3; crash++) {
      const server = await serve(env);
      const answeredBefore = answered.size;
      // Clients 0–23 send one action a request, clients 24–31 batches of 4.
      const client = async (c: number) => {
        for (let i = 0; ; i++) {
          const size = c < 24 ? 1 : 4;
          const actions = Array.from({ length: size }, (_, k) => {
            const n = `${crash}-${c}-${i}-${k}`;
            return upvote(`crash:${n}`, `voter-${n}`, `author-${n}`);
          });
          const request: Request = { actions, batch: size > 1 };
          sent.push(request);
          let res: Response;
          let body: Record<string, unknown>;
          try {
            res = await post(server.url, request);
            body = (await res.json()) as Record<string, unknown>;
          } catch {
            return; // the service died: whether this request was stored is unknown, and both are allowed
          }
          const results = resultsOf(request, body);
          if (res.status !== 201 || results.map((x) => x.action).join() !== ids(request).join()) return void problems.push(`${ids(request)}: ${res.status} ${JSON.stringify(body)}`);
          results.forEach((x, k) => answered.set(ids(request)[k] as string, x));
        }
      };
      const clients = Array.from({ length: 32 }, (_, c) => client(c));
      const started = Date.now();
      while (answered.size - answeredBefore < 200 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 5));
      server.child.kill("SIGKILL");
      expect(await server.exited).toEqual({ code: null, signal: "SIGKILL" });
      await Promise.all(clients);
      expect(problems).toEqual([]);
      expect(answered.size - answeredBefore).toBeGreaterThanOrEqual(200);

      // What the dead service left: every answered action, each whole; every batch whole or
      // not at all; nothing never sent.
      const now = await stored();
      const storedIds = new Set(now.ids);
      const sentIds = new Set(sent.flatMap(ids));
      expect([...answered.keys()].filter((id) => !storedIds.has(id))).toEqual([]);
      expect(now.ids.filter((id) => !sentIds.has(id))).toEqual([]);
      const partial = sent.filter((r) => r.batch).map(ids).filter((b) => b.some((id) => storedIds.has(id)) && !b.every((id) => storedIds.has(id)));
      expect(partial).toEqual([]);
      expect(now.perAction.filter((a) => !(a.n === 2 && a.total === 12))).toEqual([]);
      expect(now.perAction.length).toBe(now.ids.length);
      expect(now.globalPoints).toBe(12 * now.ids.length);
      expect(await verified()).toEqual({ ok: true, violations: [] });
    }
    expect(sent.filter((r) => r.batch && r.actions.every((a) => answered.has(a.id))).length).toBeGreaterThan(0);

    // The host sends everything again, in another order: an answered request comes back as
    // its original results; one whose answer was lost is applied now or replayed.
    const server = await serve(env);
    const retries = [...sent];
    const retrier = async () => {
      for (let request = retries.pop(); request !== undefined; request = retries.pop()) {
        const res = await post(server.url, request);
        const body = (await res.json()) as Record<string, unknown>;
        const originals = ids(request).map((id) => answered.get(id));
        const replay = res.headers.get("repute-replay") === "true";
        const results = resultsOf(request, body);
        if (originals.every((o) => o !== undefined)) {
          if (res.status !== 200 || !replay) problems.push(`${ids(request)} (answered before a crash): ${res.status}`);
          else expect(results).toEqual(originals.map((o) => ({ ...o, replay: true })));
        } else if (!(res.status === 201 && results.every((x) => x.replay === false)) && !(res.status === 200 && replay)) {
          problems.push(`${ids(request)} (unanswered): ${res.status} ${JSON.stringify(body)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, retrier));
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(problems).toEqual([]);

    const final = await stored();
    const everyId = sent.flatMap(ids);
    expect(new Set(final.ids).size).toBe(final.ids.length);
    expect([...final.ids].sort()).toEqual([...everyId].sort());
    expect(final.perAction.filter((a) => !(a.n === 2 && a.total === 12))).toEqual([]);
    expect(final.globalPoints).toBe(12 * everyId.length);
    expect(await verified()).toEqual({ ok: true, violations: [] });
  }, 180_000);
});
