import { afterEach, describe, expect, it } from "vitest";
import { type FixtureOptions, type HttpFixture, httpFixture, upvote } from "./http-fixture.js";

let f: HttpFixture;
async function setup(options: FixtureOptions = {}) {
  f = await httpFixture(options);
}
afterEach(async () => {
  await f.close();
});

/** Sends single-action requests all at once, as concurrent clients would. */
const concurrently = (bodies: object[]) => Promise.all(bodies.map((payload) => f.request({ method: "POST", url: "/v1/actions", payload, as: "app" })));

describe("group commit over HTTP", () => {
  it("commits many concurrent requests in far fewer transactions, answering each with its own result", async () => {
    await setup();
    const bodies = Array.from({ length: 200 }, (_, i) => upvote(`v${i}`, `voter${i}`, `author${i}`));
    const answers = await concurrently(bodies);
    expect(answers.map((r) => r.statusCode)).toEqual(bodies.map(() => 201));
    answers.forEach((r, i) => {
      const result = r.json();
      expect(result.action).toBe(`v${i}`);
      expect(result.entries.map((e: { user: string; delta: number }) => [e.user, e.delta])).toEqual([
        [`voter${i}`, 2],
        [`author${i}`, 10],
      ]);
    });
    const { transactions, units, actions } = f.app.groupCommit.stats;
    expect([units, actions]).toEqual([200, 200]);
    expect(transactions).toBeLessThanOrEqual(20);
    expect(f.counts().actions).toBe(200);
    expect(await f.repute.verify()).toEqual({ ok: true, violations: [] });
  });

  it("commits each request in its own transaction when turned off", async () => {
    await setup({ env: { REPUTE_GROUP_COMMIT: "off" } });
    await concurrently(Array.from({ length: 30 }, (_, i) => upvote(`v${i}`, `voter${i}`, `author${i}`)));
    expect(f.app.groupCommit.stats.transactions).toBe(30);
  });

  it("fails an invalid or conflicting action alone; the concurrent others are applied", async () => {
    await setup();
    await f.repute.submit(upvote("taken", "1", "2"));
    const bodies: object[] = Array.from({ length: 40 }, (_, i) => upvote(`v${i}`, `voter${i}`, `author${i}`));
    bodies[10] = { id: "bad-type", type: "frobnicate", actor: "1" }; // refused when validated against the rules
    bodies[20] = upvote("taken", "9", "9"); // refused inside the transaction: same id, other content
    bodies[30] = { actions: [upvote("b1", "x1", "y1"), upvote("taken", "9", "9")] }; // a batch is one unit: all or nothing
    const before = f.app.groupCommit.stats.transactions;
    const answers = await concurrently(bodies);
    const codes = answers.map((r) => (r.statusCode === 201 ? 201 : r.json().error.code));
    expect(codes.filter((c) => c !== 201)).toEqual(["UNKNOWN_ACTION_TYPE", "ACTION_ID_CONFLICT", "ACTION_ID_CONFLICT"]);
    expect([codes[10], codes[20], codes[30]]).toEqual(["UNKNOWN_ACTION_TYPE", "ACTION_ID_CONFLICT", "ACTION_ID_CONFLICT"]);
    expect(f.app.groupCommit.stats.transactions - before).toBeLessThan(20);
    expect(f.counts().actions).toBe(1 + 37);
    expect(await f.repute.action("bad-type")).toBeNull();
    expect(await f.repute.action("b1")).toBeNull();
    expect((await f.repute.action("taken"))?.action.actor).toBe("1");
    expect(await f.repute.verify()).toEqual({ ok: true, violations: [] });
  });

  it("applies the same new action sent by many clients at once exactly once; the others are replays", async () => {
    await setup();
    const answers = await concurrently(Array.from({ length: 20 }, () => upvote("dup")));
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([...Array(19).fill(200), 201]);
    expect(answers.filter((r) => r.headers["repute-replay"] === "true")).toHaveLength(19);
    expect(f.counts()).toMatchObject({ actions: 1, entries: 2 });
  });

  it("refuses a request the full backlog cannot take with 503 and Retry-After, writing nothing of it, and shows the backlog in the metrics", async () => {
    await setup({ env: { REPUTE_GROUP_COMMIT_MAX_PENDING: "1000" } });
    const batch = (b: number) => ({ actions: Array.from({ length: 600 }, (_, i) => upvote(`b${b}:${i}`, `voter${b}:${i}`, `author${i}`)) });
    const answers = await concurrently([batch(0), batch(1), batch(2)]);
    // The first batch waits alone (600 actions); the next two would take the backlog past 1000.
    expect(answers.map((r) => r.statusCode)).toEqual([201, 503, 503]);
    const refused = answers[1];
    expect([refused?.headers["retry-after"], refused?.json().error.code]).toEqual(["1", "SERVICE_UNAVAILABLE"]);
    expect(f.counts().actions).toBe(600);
    const metrics = await f.request({ method: "GET", url: "/metrics", as: "admin" });
    expect(metrics.body).toMatch(/^repute_group_commit_pending_actions 0$/m);
    expect(metrics.body).toMatch(/^repute_errors_total\{code="SERVICE_UNAVAILABLE"\} 2$/m);
  });
});
