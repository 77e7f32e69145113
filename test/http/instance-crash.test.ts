import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ServeChild, killAll, requireBuiltCli, serve } from "../support/cli-child.js";
import { type FreshDatabase, storeKinds } from "../support/stores.js";
import { upvote } from "./http-fixture.js";

const postgres = storeKinds.find((k) => k.name === "postgres");
beforeAll(requireBuiltCli);

/**
 * Scaled out (docs/postgres.md): two instances of `repute serve` on one PostgreSQL
 * database. A third of the votes go to 4 authors, so the instances contend for the same
 * snapshots and cap counters and the daily cap is reached; the rest to 400 authors who
 * mostly stay under it, so a lost or doubled vote shows in their totals. One instance is killed with SIGKILL: the other
 * must go on answering, nothing either answered may be lost, and its clients' retries
 * on the survivor must apply every action once.
 */
describe.skipIf(postgres?.skipped !== null)("two instances on PostgreSQL, one killed", () => {
  let db: FreshDatabase;
  let dir: string;
  const servers: ServeChild[] = [];
  beforeEach(async () => {
    db = await (postgres as NonNullable<typeof postgres>).fresh();
    dir = mkdtempSync(join(tmpdir(), "repute-instances-"));
  });
  afterEach(async () => {
    await killAll(servers);
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the survivor keeps answering, and every action is applied once with the caps intact", async () => {
    const setup = await db.open({ config: "qa" });
    const { key } = await setup.apiKeys.create({ name: "instances", role: "app" });
    await setup.close();
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const env = { REPUTE_DB: db.location, REPUTE_RATE_LIMIT: "0" };
    const [a, b] = [await serve(env, dir), await serve(env, dir)] as [ServeChild, ServeChild];
    servers.push(a, b);

    const DAY = "2026-11-20T12:00:00Z"; // one fixed UTC day, so the daily cap is the same whenever the test runs
    const sent = new Map<string, ReturnType<typeof upvote>>();
    const answered = new Set<string>();
    const problems: string[] = [];
    let killed = false;
    let answeredBySurvivorAfterKill = 0;

    const post = async (url: string, action: ReturnType<typeof upvote>) => {
      const res = await fetch(`${url}/v1/actions`, { method: "POST", headers, body: JSON.stringify(action) });
      const body = (await res.json()) as { action?: string; replay?: boolean };
      return { status: res.status, body };
    };
    // Clients 0–15 start on instance a, 16–31 on b. A client whose instance dies sends its
    // unanswered action again to b, and goes on there.
    const client = async (c: number) => {
      let url = c < 16 ? a.url : b.url;
      for (let i = 0; sent.size < 6_000; i++) {
        const id = `inst:${c}:${i}`;
        const action = upvote(id, `voter-${c}-${i}`, i % 3 === 0 ? `hot-${c % 4}` : `author-${(c * 7 + i) % 400}`, { at: DAY });
        sent.set(id, action);
        let answer: Awaited<ReturnType<typeof post>>;
        try {
          answer = await post(url, action);
        } catch {
          if (url === b.url) return void problems.push(`${id}: the surviving instance did not answer`);
          url = b.url; // instance a is gone: the same action again, to the survivor
          try {
            answer = await post(url, action);
          } catch {
            return void problems.push(`${id}: the surviving instance did not answer the retry`);
          }
          if (answer.status !== 201 && !(answer.status === 200 && answer.body.replay === true)) problems.push(`${id} retried: ${answer.status}`);
          answered.add(id);
          continue;
        }
        if (answer.status !== 201 || answer.body.action !== id) return void problems.push(`${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
        answered.add(id);
        if (killed && url === b.url) answeredBySurvivorAfterKill++;
      }
    };
    const clients = Array.from({ length: 32 }, (_, c) => client(c));
    const started = Date.now();
    while (answered.size < 400 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 5));
    a.child.kill("SIGKILL");
    killed = true;
    expect(await a.exited).toEqual({ code: null, signal: "SIGKILL" });
    const killedAt = answered.size;
    await Promise.all(clients);
    b.child.kill("SIGTERM");
    expect(await b.exited).toEqual({ code: 0, signal: null });

    expect(problems).toEqual([]);
    expect(killedAt).toBeGreaterThanOrEqual(400);
    expect(answeredBySurvivorAfterKill).toBeGreaterThan(1_000); // b went on serving after a died
    expect(answered.size).toBe(sent.size); // every action got an answer, from one instance or the other

    // Exactly once: every action stored once, each voter +2; each author +10 an upvote up to the cap of 200 that day.
    const ids = (await db.query("SELECT id FROM actions")).map((r) => r.id as string);
    expect([...ids].sort()).toEqual([...sent.keys()].sort());
    const votes = new Map<string, number>();
    for (const action of sent.values()) votes.set(action.target.author, (votes.get(action.target.author) ?? 0) + 1);
    const points = new Map((await db.query("SELECT user_id, points + pending AS total FROM snapshots WHERE topic = 'global'")).map((r) => [r.user_id as string, Number(r.total)]));
    for (const [author, n] of votes) expect([author, points.get(author)]).toEqual([author, Math.min(10 * n, 200)]);
    for (let h = 0; h < 4; h++) expect(points.get(`hot-${h}`)).toBe(200); // the cap was reached, and held across instances
    for (const action of sent.values()) expect(points.get(action.actor)).toBe(2);
    const repute = await db.open();
    try {
      expect(await repute.verify()).toEqual({ ok: true, violations: [] });
    } finally {
      await repute.close();
    }
  }, 180_000);
});
