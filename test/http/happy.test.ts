import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HttpFixture, httpFixture, upvote } from "./http-fixture.js";

let f: HttpFixture;
beforeEach(async () => {
  f = await httpFixture();
});
afterEach(async () => {
  await f.close();
});

const post = (url: string, payload: object, as: "app" | "admin" = "admin") => f.request({ method: "POST", url, payload, as });
const get = (url: string) => f.request({ url, as: "read" });

describe("POST /v1/actions", () => {
  it("applies one action: 201 with the entries, snapshot changes and level changes", async () => {
    const r = await post("/v1/actions", upvote("v1", "42", "7", { topic: "typescript" }), "app");
    expect(r.statusCode).toBe(201);
    expect(r.headers["repute-replay"]).toBeUndefined();
    const body = r.json();
    expect(body.action).toBe("v1");
    expect(body.replay).toBe(false);
    expect(body.entries.map((e: { user: string; topic: string; delta: number }) => [e.user, e.topic, e.delta])).toEqual([
      ["42", "typescript", 2],
      ["42", "global", 2],
      ["7", "typescript", 10],
      ["7", "global", 10],
    ]);
    expect(body.entries[2].reason).toBe("upvote (answer a-v1) by 42 in typescript");
    expect(body.changes).toContainEqual({ user: "7", topic: "global", before: { points: 0, pending: 0 }, after: { points: 10, pending: 0 } });
    expect(body.levels).toEqual([]);
  });

  it("reports level changes", async () => {
    await post("/v1/actions", upvote("v1", "1", "7"), "app");
    const r = await post("/v1/actions", upvote("v2", "2", "7"), "app"); // 7 reaches 20: New → Voter
    expect(r.json().levels).toEqual([{ user: "7", topic: "global", from: "New", to: "Voter" }]);
  });

  it("says which points a rule withheld and why, here and in GET /v1/actions/{id}", async () => {
    const first = upvote("v1", "42", "7");
    await post("/v1/actions", first, "app");
    const r = await post("/v1/actions", { ...first, id: "v2" }, "app"); // the same vote under another id
    expect(r.statusCode).toBe(201);
    expect(r.json().entries).toEqual([]);
    expect(r.json().withheld).toEqual([
      { rule: "qa.upvote", user: "42", role: "actor", points: 2, why: "once", holder: "v1", reason: "upvote (answer a-v1): already given by v1 (once per actor and target)" },
      { rule: "qa.upvote", user: "7", role: "author", points: 10, why: "once", holder: "v1", reason: "upvote (answer a-v1) by 42: already given by v1 (once per actor and target)" },
    ]);
    expect((await get("/v1/actions/v2")).json().result.withheld).toEqual(r.json().withheld);
  });

  it("applies a batch in one transaction and answers each result in order", async () => {
    const r = await post("/v1/actions", { actions: [upvote("b1", "1", "7"), upvote("b2", "2", "8"), upvote("b3", "3", "9")] }, "app");
    expect(r.statusCode).toBe(201);
    expect(r.json().results.map((x: { action: string }) => x.action)).toEqual(["b1", "b2", "b3"]);
    expect(f.counts().actions).toBe(3);
  });

  it("answers a replay with the original result, 200 and Repute-Replay: true, writing nothing", async () => {
    const first = await post("/v1/actions", upvote("v1"), "app");
    const before = f.counts();
    const again = await post("/v1/actions", upvote("v1"), "app");
    expect(again.statusCode).toBe(200);
    expect(again.headers["repute-replay"]).toBe("true");
    expect(again.json()).toEqual({ ...first.json(), replay: true });
    expect(f.counts()).toEqual(before);
  });

  it("answers a batch of known and new actions with 201, each result saying whether it replayed", async () => {
    await post("/v1/actions", upvote("v1"), "app");
    const r = await post("/v1/actions", { actions: [upvote("v1"), upvote("v2", "43")] }, "app");
    expect(r.statusCode).toBe(201);
    expect(r.headers["repute-replay"]).toBeUndefined();
    expect(r.json().results.map((x: { replay: boolean }) => x.replay)).toEqual([true, false]);
    const all = await post("/v1/actions", { actions: [upvote("v1"), upvote("v2", "43")] }, "app");
    expect([all.statusCode, all.headers["repute-replay"]]).toEqual([200, "true"]);
  });
});

describe("reads", () => {
  beforeEach(async () => {
    await post("/v1/topics", { topics: [{ id: "drinks" }, { id: "beer", parent: "drinks" }] });
    await post("/v1/actions", { actions: [upvote("v1", "42", "7", { topic: "beer" }), upvote("v2", "43", "7", { topic: "beer" }), upvote("v3", "44", "8")] }, "app");
  });

  it("GET /v1/actions/{id}: the action as stored and what it applied", async () => {
    const r = await get("/v1/actions/v1");
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.action).toMatchObject({ id: "v1", type: "upvote", actor: "42", topic: "beer", target: { type: "answer", id: "a-v1", author: "7" } });
    expect(Date.parse(body.action.at)).not.toBeNaN();
    expect(body.revertedBy).toBeNull();
    expect(body.result.entries).toHaveLength(4);
  });

  it("GET /v1/users/{id}/reputation: every topic, global first", async () => {
    const r = await get("/v1/users/7/reputation");
    expect(r.statusCode).toBe(200);
    expect(r.json().topics.map((t: { topic: string; points: number; level: string }) => [t.topic, t.points, t.level])).toEqual([
      ["global", 20, "Voter"],
      ["beer", 20, "Voter"],
    ]);
  });

  it("GET /v1/users/{id}/reputation/{topic}: one topic with level, next level and progress", async () => {
    const r = await get("/v1/users/7/reputation/beer");
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ user: "7", topic: "beer", points: 20, level: "Voter", next: { name: "Commenter", min: 50 } });
    expect(r.json().progress).toBe(0.1428); // 5 / 35, rounded down to 4 decimals
    const stranger = await get("/v1/users/nobody/reputation/beer");
    expect(stranger.json()).toMatchObject({ user: "nobody", points: 0, level: "New" });
  });

  it("GET /v1/users/{id}/history: entries newest first with reasons, cursor paginated", async () => {
    const first = await get("/v1/users/7/history?limit=3");
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.entries).toHaveLength(3);
    expect(page1.entries[0].reason).toMatch(/^upvote \(answer a-v2\) by 43 in beer$/);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await get(`/v1/users/7/history?limit=3&cursor=${encodeURIComponent(page1.nextCursor)}`);
    expect(second.json().entries).toHaveLength(1);
    expect(second.json().nextCursor).toBeNull();
    const ids = [...page1.entries, ...second.json().entries].map((e: { id: number }) => e.id);
    expect(new Set(ids).size).toBe(4);
    const topicOnly = await get("/v1/users/7/history?topic=beer");
    expect(topicOnly.json().entries.every((e: { topic: string }) => e.topic === "beer")).toBe(true);
  });

  it("GET /v1/leaderboards/{topic}: the top N, paginated, filtered by level", async () => {
    const r = await get("/v1/leaderboards/global?limit=2");
    expect(r.statusCode).toBe(200);
    expect(r.json().entries.map((e: { rank: number; user: string; points: number }) => [e.rank, e.user, e.points])).toEqual([
      [1, "7", 20],
      [2, "8", 10],
    ]);
    const next = await get(`/v1/leaderboards/global?limit=2&cursor=${encodeURIComponent(r.json().nextCursor)}`);
    expect(next.json().entries.map((e: { user: string }) => e.user)).toEqual(["42", "43"]);
    const voters = await get("/v1/leaderboards/global?level=Voter");
    expect(voters.json().entries.map((e: { user: string }) => e.user)).toEqual(["7"]);
    const beer = await get("/v1/leaderboards/beer");
    expect(beer.json().entries.map((e: { user: string; points: number }) => [e.user, e.points])).toEqual([
      ["7", 20],
      ["42", 2],
      ["43", 2],
    ]);
  });

  it("GET /v1/users/{id}/rank/{topic}: rank, of, points and level", async () => {
    expect((await get("/v1/users/8/rank/global")).json()).toEqual({ user: "8", topic: "global", rank: 2, of: 5, points: 10, level: "New" });
    expect((await get("/v1/users/nobody/rank/global")).json()).toMatchObject({ rank: null, of: 5 });
  });

  it("GET /v1/topics: the tree, parents first", async () => {
    const r = await get("/v1/topics");
    expect(r.json().topics).toEqual([
      { id: "drinks", parent: "global", depth: 1 },
      { id: "beer", parent: "drinks", depth: 2 },
    ]);
  });

  it("takes user ids that need percent-encoding in the path", async () => {
    await post("/v1/actions", upvote("v9", "42", "ana/b é"), "app");
    const r = await get(`/v1/users/${encodeURIComponent("ana/b é")}/reputation`);
    expect(r.json()).toMatchObject({ user: "ana/b é", topics: [{ topic: "global", points: 10 }] });
    const longest = "名".repeat(255); // the longest user id: 2295 characters once encoded
    await post("/v1/actions", upvote("v10", "42", longest), "app");
    expect((await get(`/v1/users/${encodeURIComponent(longest)}/rank/global`)).json()).toMatchObject({ user: longest, points: 10 });
  });
});

describe("POST /v1/topics", () => {
  it("adds one topic (201), and adding it again changes nothing (200)", async () => {
    const r = await post("/v1/topics", { id: "beer" });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toEqual({ created: [{ id: "beer", parent: "global", depth: 1 }] });
    const again = await post("/v1/topics", { id: "beer" });
    expect([again.statusCode, again.json()]).toEqual([200, { created: [] }]);
  });
});

describe("admin", () => {
  it("POST /v1/admin/adjustments: a manual change with its reason, naming the key that made it", async () => {
    const r = await post("/v1/admin/adjustments", { user: "7", points: 50, reason: "bounty for a great answer", topic: "typescript", id: "adj-1" });
    expect(r.statusCode).toBe(201);
    expect(r.json().entries.map((e: { user: string; topic: string; delta: number; kind: string }) => [e.user, e.topic, e.delta, e.kind])).toEqual([
      ["7", "typescript", 50, "adjust"],
      ["7", "global", 50, "global"],
    ]);
    const view = (await get("/v1/actions/adj-1")).json();
    expect(view.action).toMatchObject({ type: "adjust", actor: "key:admin-key", data: { points: 50, reason: "bounty for a great answer" } });
    const history = (await get("/v1/users/7/history")).json();
    const adjust = history.entries.find((e: { kind: string }) => e.kind === "adjust");
    expect(adjust.reason).toBe("adjustment by key:admin-key: bounty for a great answer");
    const again = await post("/v1/admin/adjustments", { user: "7", points: 50, reason: "bounty for a great answer", topic: "typescript", id: "adj-1" });
    expect([again.statusCode, again.headers["repute-replay"]]).toEqual([200, "true"]);
  });

  it("POST /v1/admin/rebuild recomputes the snapshots; GET /v1/admin/verify checks every invariant", async () => {
    await post("/v1/actions", upvote("v1"), "app");
    const rebuild = await post("/v1/admin/rebuild", {});
    expect(rebuild.statusCode).toBe(200);
    expect(rebuild.json()).toMatchObject({ changed: 0, snapshots: 2, entries: 2 });
    const verify = await f.request({ url: "/v1/admin/verify" });
    expect([verify.statusCode, verify.json()]).toEqual([200, { ok: true, violations: [] }]);
  });

  it("GET /v1/admin/verify reports a violation with ok: false", async () => {
    await post("/v1/actions", upvote("v1"), "app");
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(f.dbPath);
    db.exec("UPDATE snapshots SET points = points + 1 WHERE user_id = '7'");
    db.close();
    const verify = await f.request({ url: "/v1/admin/verify" });
    expect(verify.statusCode).toBe(200);
    expect(verify.json().ok).toBe(false);
    expect(verify.json().violations.map((v: { invariant: string }) => v.invariant)).toContain("snapshot-sum");
  });
});

describe("operations", () => {
  it("GET /healthz and GET /readyz answer without a key", async () => {
    expect((await f.request({ url: "/healthz", as: "anonymous" })).json()).toEqual({ status: "ok" });
    expect((await f.request({ url: "/readyz", as: "anonymous" })).json()).toEqual({ status: "ready" });
  });
});
