import type { LightMyRequestResponse } from "fastify";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReputeError } from "../../src/core/errors.js";
import { buildApp } from "../../src/http/app.js";
import { parseServerConfig } from "../../src/http/server-config.js";
import { type FixtureOptions, type HttpFixture, httpFixture, upvote } from "./http-fixture.js";

let f: HttpFixture;
async function setup(options: FixtureOptions = {}) {
  f = await httpFixture(options);
}
afterEach(async () => {
  await f.close();
});

/** Asserts the standard error shape and returns the error. */
function errorOf(r: LightMyRequestResponse, status: number, code: string) {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers["content-type"]).toMatch(/^application\/json/);
  expect(r.headers["cache-control"]).toBe("no-store");
  const body = r.json();
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.requestId).toBe(r.headers["x-request-id"]);
  return body.error as { code: string; message: string; requestId: string; details?: { issues?: Array<{ path: string; message: string }> } & Record<string, unknown> };
}

const paths = (e: ReturnType<typeof errorOf>) => e.details?.issues?.map((i) => i.path);
const submit = (payload: unknown, headers: Record<string, string> = {}) => f.request({ method: "POST", url: "/v1/actions", payload: payload as object, as: "app", headers });

/** Runs a failing request and checks nothing was written. */
async function writesNothing(run: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
  const before = f.counts();
  const r = await run();
  expect(f.counts()).toEqual(before);
  return r;
}

describe("400 VALIDATION_FAILED names the failing field paths", () => {
  beforeEach(() => setup());

  it("of one action", async () => {
    const r = await writesNothing(() => submit({ id: "v1", type: "upvote", actor: "42", target: { type: "answer", id: "9", author: 7 }, extra: true }));
    const e = errorOf(r, 400, "VALIDATION_FAILED");
    expect(paths(e)).toEqual(["target.author", "(root)"]);
    expect(e.message).toBe("invalid body: target.author: must be a string (and 1 more)");
  });

  it("of a batch, as actions[i]…, and applies none of it", async () => {
    const r = await writesNothing(() => submit({ actions: [upvote("ok1"), { id: "v2", type: "upvote" }, upvote("ok2")] }));
    expect(paths(errorOf(r, 400, "VALIDATION_FAILED"))).toEqual(["actions[1].actor"]);
  });

  it("of a batch that is empty or over 1000 actions, or an empty list of topics, saying how many it may hold", async () => {
    const empty = errorOf(await submit({ actions: [] }), 400, "VALIDATION_FAILED");
    expect(empty.details?.issues).toEqual([{ path: "actions", message: "a batch holds 1 to 1000 actions" }]);
    const big = Array.from({ length: 1001 }, (_, i) => ({ id: `b${i}`, type: "view", actor: "1" }));
    const over = errorOf(await writesNothing(() => submit({ actions: big })), 400, "VALIDATION_FAILED");
    expect([over.message, paths(over)]).toEqual(["invalid body: actions: a batch holds 1 to 1000 actions", ["actions"]]);
    const noTopics = errorOf(await f.request({ method: "POST", url: "/v1/topics", payload: { topics: [] } }), 400, "VALIDATION_FAILED");
    expect(noTopics.message).toBe("invalid body: topics: a list holds 1 to 1000 topics");
  });

  it("of a body that is not an object, not JSON, or empty", async () => {
    const array = errorOf(await submit([1, 2]), 400, "VALIDATION_FAILED");
    expect([paths(array), array.message]).toEqual([["(root)"], "invalid body: (root): must be an object, not an array"]);
    const extra = errorOf(await submit({ id: "a", type: "upvote", actor: "1", extra: 1 }), 400, "VALIDATION_FAILED");
    expect(extra.message).toBe('invalid body: (root): unknown field "extra"');
    expect(errorOf(await submit({ actions: "x" }), 400, "VALIDATION_FAILED").message).toBe('invalid body: actions: must be an array, not a string ("x")');
    expect(paths(errorOf(await submit("{not json", { "content-type": "application/json" }), 400, "VALIDATION_FAILED"))).toEqual(["(root)"]);
    const empty = await f.request({ method: "POST", url: "/v1/actions", as: "app", headers: { "content-type": "application/json" }, payload: "" });
    expect(paths(errorOf(empty, 400, "VALIDATION_FAILED"))).toEqual(["(root)"]);
    expect(paths(errorOf(await f.request({ method: "POST", url: "/v1/actions", as: "app" }), 400, "VALIDATION_FAILED"))).toEqual(["(root)"]);
  });

  it("of the query and the path", async () => {
    const limit = errorOf(await f.request({ url: "/v1/users/7/history?limit=0", as: "read" }), 400, "VALIDATION_FAILED");
    expect([paths(limit), limit.message]).toEqual([["limit"], "invalid query: limit: must be a whole number from 1 to 100"]);
    // Decimal digits only, as in every other number Repute reads from text.
    for (const bad of ["101", "abc", "1.5", "", "1e1", "0x5", "+5", "%205", "5,6"]) {
      const e = errorOf(await f.request({ url: `/v1/leaderboards/global?limit=${bad}`, as: "read" }), 400, "VALIDATION_FAILED");
      expect([paths(e), e.message]).toEqual([["limit"], "invalid query: limit: must be a whole number from 1 to 100"]);
    }
    expect(paths(errorOf(await f.request({ url: "/v1/leaderboards/global?limt=5", as: "read" }), 400, "VALIDATION_FAILED"))).toEqual(["(root)"]);
    expect(paths(errorOf(await f.request({ url: "/v1/users/7/reputation/a%20b", as: "read" }), 400, "VALIDATION_FAILED"))).toEqual(["topic"]);
    expect(paths(errorOf(await f.request({ url: `/v1/users/${"u".repeat(256)}/reputation`, as: "read" }), 400, "VALIDATION_FAILED"))).toEqual(["id"]);
    // A path the router cannot read names (path), without echoing it.
    for (const url of [`/v1/users/${"u".repeat(5000)}/reputation`, "/v1/users/%E0%A4%A/reputation", "/v1/users/a%FF/reputation"]) {
      const e = errorOf(await f.request({ url, as: "read" }), 400, "VALIDATION_FAILED");
      expect(paths(e)).toEqual(["(path)"]);
      expect(e.message).not.toContain("/v1/users");
    }
  });

  it("of a query parameter or body field no route takes", async () => {
    for (const url of ["/v1/users/7/reputation?x=1", "/v1/users/7/reputation/global?x=1", "/v1/users/7/rank/global?x=1", "/v1/actions/o1?x=1", "/v1/topics?x=1"]) {
      expect(paths(errorOf(await f.request({ url, as: "read" }), 400, "VALIDATION_FAILED")), url).toEqual(["(root)"]);
    }
    errorOf(await f.request({ url: "/v1/admin/verify?x=1" }), 400, "VALIDATION_FAILED");
    errorOf(await writesNothing(() => f.request({ method: "POST", url: "/v1/actions?x=1", payload: upvote("q1"), as: "app" })), 400, "VALIDATION_FAILED");
    errorOf(await writesNothing(() => f.request({ method: "POST", url: "/v1/topics?x=1", payload: { id: "q" } })), 400, "VALIDATION_FAILED");
    const adjust = { user: "7", points: 5, reason: "why" };
    errorOf(await writesNothing(() => f.request({ method: "POST", url: "/v1/admin/adjustments?x=1", payload: adjust })), 400, "VALIDATION_FAILED");
    expect(paths(errorOf(await f.request({ method: "POST", url: "/v1/admin/rebuild", payload: { x: 1 } }), 400, "VALIDATION_FAILED"))).toEqual(["(root)"]);
    const plain = await f.request({ method: "POST", url: "/v1/admin/rebuild" });
    expect(plain.statusCode, plain.body).toBe(200);
  });

  it("of data that nests too deep, holds no JSON value or a __proto__ key, with its path; a constructor key is kept", async () => {
    const deep = `{"id":"d1","type":"view","actor":"1","data":{"x":${"[".repeat(5000)}1${"]".repeat(5000)}}}`;
    const tooDeep = errorOf(await writesNothing(() => submit(deep, { "content-type": "application/json" })), 400, "VALIDATION_FAILED");
    expect([paths(tooDeep), tooDeep.message]).toEqual([["data.x"], "invalid body: data.x: nests deeper than 64 levels (or holds itself)"]);
    const proto = '{"id":"d1","type":"view","actor":"1","data":{"a":{"__proto__":{"polluted":1}}}}';
    const p = errorOf(await writesNothing(() => submit(proto, { "content-type": "application/json" })), 400, "VALIDATION_FAILED");
    expect([paths(p), p.message]).toEqual([["data.a"], 'invalid body: data.a: has a key "__proto__", which Repute does not accept']);
    const huge = errorOf(await writesNothing(() => submit('{"id":"d1","type":"view","actor":"1","data":{"n":1e400}}', { "content-type": "application/json" })), 400, "VALIDATION_FAILED");
    expect(paths(huge)).toEqual(["data.n"]);
    const kept = await submit('{"id":"d2","type":"view","actor":"1","data":{"constructor":{"prototype":{"x":1}}}}', { "content-type": "application/json" });
    expect(kept.statusCode, kept.body).toBe(201);
    expect((await f.request({ url: "/v1/actions/d2", as: "read" })).json().action.data).toEqual({ constructor: { prototype: { x: 1 } } });
  });

  it("of an adjustment", async () => {
    const r = await writesNothing(() => f.request({ method: "POST", url: "/v1/admin/adjustments", payload: { user: "7", points: 0 } }));
    expect(paths(errorOf(r, 400, "VALIDATION_FAILED"))).toEqual(["points", "reason"]);
  });

  it("of a topic", async () => {
    const r = await writesNothing(() => f.request({ method: "POST", url: "/v1/topics", payload: { topics: [{ id: "ok" }, { id: "no/slash" }] } }));
    expect(paths(errorOf(r, 400, "VALIDATION_FAILED"))).toEqual(["topics[1].id"]);
  });
});

describe("400 for input the engine refuses", () => {
  beforeEach(() => setup());

  it("UNKNOWN_ACTION_TYPE and UNKNOWN_TARGET_TYPE", async () => {
    errorOf(await writesNothing(() => submit({ id: "x", type: "frobnicate", actor: "1" })), 400, "UNKNOWN_ACTION_TYPE");
    errorOf(await writesNothing(() => submit({ id: "x", type: "upvote", actor: "1", target: { type: "photo", id: "1", author: "2" } })), 400, "UNKNOWN_TARGET_TYPE");
  });

  it("ACTION_INVALID", async () => {
    errorOf(await writesNothing(() => submit({ id: "x", type: "upvote", actor: "1", target: { type: "answer", id: "1" } })), 400, "ACTION_INVALID");
  });

  it("LEVEL_NOT_FOUND and CURSOR_INVALID", async () => {
    errorOf(await f.request({ url: "/v1/leaderboards/global?level=Wizard", as: "read" }), 400, "LEVEL_NOT_FOUND");
    errorOf(await f.request({ url: "/v1/leaderboards/global?cursor=garbage", as: "read" }), 400, "CURSOR_INVALID");
    errorOf(await f.request({ url: "/v1/users/7/history?cursor=garbage", as: "read" }), 400, "CURSOR_INVALID");
  });
});

describe("404 and 409", () => {
  beforeEach(() => setup({ config: "interests" }));

  it("NOT_FOUND for an unknown route or method, with or without a key", async () => {
    const e = errorOf(await f.request({ url: "/v2/anything?x=1", as: "anonymous" }), 404, "NOT_FOUND");
    expect(e.message).toBe("no route serves GET /v2/anything");
    errorOf(await f.request({ method: "DELETE", url: "/v1/actions" }), 404, "NOT_FOUND");
    errorOf(await f.request({ method: "PUT", url: "/v1/topics", as: "anonymous", payload: {} }), 404, "NOT_FOUND");
  });

  it("ACTION_NOT_FOUND for an unknown action id, read or reverted", async () => {
    errorOf(await f.request({ url: "/v1/actions/nope", as: "read" }), 404, "ACTION_NOT_FOUND");
    errorOf(await writesNothing(() => submit({ id: "r1", type: "revert", actor: "1", reverts: "nope" })), 404, "ACTION_NOT_FOUND");
  });

  it("TOPIC_NOT_FOUND for an unknown topic, read, written to, or named as a parent", async () => {
    errorOf(await f.request({ url: "/v1/leaderboards/sake", as: "read" }), 404, "TOPIC_NOT_FOUND");
    errorOf(await f.request({ url: "/v1/users/7/reputation/sake", as: "read" }), 404, "TOPIC_NOT_FOUND");
    errorOf(await f.request({ url: "/v1/users/7/rank/sake", as: "read" }), 404, "TOPIC_NOT_FOUND");
    errorOf(await writesNothing(() => submit({ id: "s1", type: "select_interest", actor: "1", topic: "sake" })), 404, "TOPIC_NOT_FOUND");
    errorOf(await writesNothing(() => f.request({ method: "POST", url: "/v1/topics", payload: { id: "ipa", parent: "beer" } })), 404, "TOPIC_NOT_FOUND");
  });

  it("ACTION_ID_CONFLICT for a known id with other content; the stored action is unchanged", async () => {
    await f.request({ method: "POST", url: "/v1/topics", payload: { id: "beer" } });
    const first = await submit({ id: "s1", type: "select_interest", actor: "1", topic: "beer" });
    expect(first.statusCode).toBe(201);
    const e = errorOf(await writesNothing(() => submit({ id: "s1", type: "select_interest", actor: "2", topic: "beer" })), 409, "ACTION_ID_CONFLICT");
    expect(e.details).toEqual({ action: "s1" });
    expect((await f.request({ url: "/v1/actions/s1", as: "read" })).json().action.actor).toBe("1");
  });

  it("a batch with one conflicting action applies none of it", async () => {
    await f.request({ method: "POST", url: "/v1/topics", payload: { id: "beer" } });
    await submit({ id: "s1", type: "select_interest", actor: "1", topic: "beer" });
    const batch = { actions: [{ id: "s2", type: "select_interest", actor: "2", topic: "beer" }, { id: "s1", type: "select_interest", actor: "9", topic: "beer" }] };
    errorOf(await writesNothing(() => submit(batch)), 409, "ACTION_ID_CONFLICT");
    errorOf(await f.request({ url: "/v1/actions/s2", as: "read" }), 404, "ACTION_NOT_FOUND");
  });

  it("ACTION_NOT_REVERTIBLE for a revert of a revert", async () => {
    await f.request({ method: "POST", url: "/v1/topics", payload: { id: "beer" } });
    await submit({ id: "s1", type: "select_interest", actor: "1", topic: "beer" });
    expect((await submit({ id: "r1", type: "revert", actor: "1", reverts: "s1" })).statusCode).toBe(201);
    errorOf(await writesNothing(() => submit({ id: "r2", type: "revert", actor: "1", reverts: "r1" })), 409, "ACTION_NOT_REVERTIBLE");
  });

  it("TOPIC_CONFLICT for a topic that exists under another parent", async () => {
    await f.request({ method: "POST", url: "/v1/topics", payload: { topics: [{ id: "drinks" }, { id: "beer" }] } });
    errorOf(await writesNothing(() => f.request({ method: "POST", url: "/v1/topics", payload: { id: "beer", parent: "drinks" } })), 409, "TOPIC_CONFLICT");
  });
});

describe("limits", () => {
  it("413 PAYLOAD_TOO_LARGE for a body over 1 MiB", async () => {
    await setup();
    const big = { id: "big", type: "view", actor: "1", data: { blob: "x".repeat(1024 * 1024) } };
    const e = errorOf(await writesNothing(() => submit(big)), 413, "PAYLOAD_TOO_LARGE");
    expect(e.details).toEqual({ limit: 1048576 });
  });

  it("415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON", async () => {
    await setup();
    const r = await writesNothing(() => f.request({ method: "POST", url: "/v1/actions", as: "app", headers: { "content-type": "text/plain" }, payload: "hello" }));
    errorOf(r, 415, "UNSUPPORTED_MEDIA_TYPE");
    errorOf(await f.request({ method: "POST", url: "/v1/actions", as: "app", headers: { "content-type": "application/xml" }, payload: "<a/>" }), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("429 RATE_LIMITED with Retry-After, per key; health checks are not limited", async () => {
    await setup({ env: { REPUTE_RATE_LIMIT: "2" } });
    for (let i = 0; i < 2; i++) expect((await f.request({ url: "/v1/topics", as: "read" })).statusCode).toBe(200);
    const limited = await f.request({ url: "/v1/topics", as: "read" });
    const e = errorOf(limited, 429, "RATE_LIMITED");
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(e.details).toMatchObject({ limit: 2 });
    expect((await submit(upvote("v1"))).statusCode).toBe(201); // another key: its own budget
    expect((await f.request({ url: "/v1/topics", as: "admin" })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await f.request({ url: "/healthz", as: "anonymous" })).statusCode).toBe(200);
  });
});

describe("failures of the service", () => {
  beforeEach(() => setup());

  it("500 INTERNAL says nothing of the cause", async () => {
    vi.spyOn(f.repute, "topics").mockRejectedValue(new Error("ENOENT: /var/secret/path exploded"));
    const e = errorOf(await f.request({ url: "/v1/topics", as: "read" }), 500, "INTERNAL");
    expect(JSON.stringify(e)).not.toMatch(/secret|ENOENT|at /);
    expect(e.details).toBeUndefined();
  });

  it("503 STORE_FAILED says nothing was written, without the driver's message", async () => {
    vi.spyOn(f.repute, "submitUnits").mockRejectedValue(new ReputeError("STORE_FAILED", "database error: disk I/O error at /data/repute.db", { driverCode: "SQLITE_IOERR" }));
    const e = errorOf(await submit(upvote("v1")), 503, "STORE_FAILED");
    expect(e.message).toBe("the database failed; nothing of this request was written");
    expect(e.details).toBeUndefined();
  });

  it("503 STORE_FAILED says so when the commit was written but not flushed, and only that", async () => {
    const unflushed = new ReputeError("STORE_FAILED", "database error: could not flush /data/repute.db-wal", { committed: true, driverCode: "EIO" });
    vi.spyOn(f.repute, "submitUnits").mockRejectedValue(unflushed);
    const e = errorOf(await submit(upvote("v1")), 503, "STORE_FAILED");
    expect(e.message).toBe(
      "the database committed this request but could not flush it to disk; resubmitting the same action ids answers their results as replays",
    );
    expect(e.details).toEqual({ committed: true });
  });

  it("503 SERVICE_UNAVAILABLE from /readyz when the database does not answer", async () => {
    await f.repute.store.close(); // the database goes away under the running service
    errorOf(await f.request({ url: "/readyz", as: "anonymous" }), 503, "SERVICE_UNAVAILABLE");
    expect((await f.request({ url: "/healthz", as: "anonymous" })).statusCode).toBe(200);
  });

  it("503 SERVICE_UNAVAILABLE from /readyz when the database hangs, instead of never answering", async () => {
    // A database that takes connections but never answers (a partition, a stopped server).
    f.repute.store.ping = () => new Promise<void>(() => undefined);
    const e = errorOf(await f.request({ url: "/readyz", as: "anonymous" }), 503, "SERVICE_UNAVAILABLE");
    expect(e.message).toBe("the database does not answer");
  });
});

describe("responses are checked against their schemas when asked", () => {
  it("a response that breaks its schema is a 500 with the check, and goes out as built without it", async () => {
    for (const [check, status] of [["true", 500], ["false", 200]] as const) {
      const f = await httpFixture({ env: { REPUTE_CHECK_RESPONSES: check } });
      try {
        // The facade answers a topic list that breaks the documented shape (an id that is a number).
        const broken = Object.create(f.repute, { topics: { value: async () => [{ id: 5, parent: "global", depth: 1 }] } });
        const app = await buildApp({ repute: broken }, parseServerConfig({}, { LOG_LEVEL: "silent", REPUTE_RATE_LIMIT: "0", REPUTE_CHECK_RESPONSES: check }));
        const res = await app.inject({ url: "/v1/topics", headers: { authorization: `Bearer ${f.keys.read}` } });
        expect(res.statusCode).toBe(status);
        if (status === 500) expect(res.json().error.code).toBe("INTERNAL");
        else expect(res.json()).toEqual({ topics: [{ id: 5, parent: "global", depth: 1 }] });
        await app.close();
      } finally {
        await f.close();
      }
    }
  });
});
