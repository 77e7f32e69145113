import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppInstance } from "../../src/http/app-instance.js";
import { buildApp } from "../../src/http/app.js";
import { parseServerConfig } from "../../src/http/server-config.js";
import type { Repute } from "../../src/repute.js";
import { type FreshDatabase, storeKinds } from "../support/stores.js";
import { upvote } from "./http-fixture.js";

const postgres = storeKinds.find((k) => k.name === "postgres");

describe.skipIf(postgres?.skipped !== null)("the HTTP service on PostgreSQL", () => {
  let db: FreshDatabase;
  let repute: Repute;
  let app: AppInstance;
  let key: string;
  beforeEach(async () => {
    db = await (postgres as NonNullable<typeof postgres>).fresh();
    repute = await db.open({ config: "qa" });
    key = (await repute.apiKeys.create({ name: "admin", role: "admin" })).key;
    app = await buildApp({ repute }, parseServerConfig({}, { LOG_LEVEL: "silent", REPUTE_RATE_LIMIT: "0", REPUTE_CHECK_RESPONSES: "true" }));
  });
  afterEach(async () => {
    await app.close();
    await db.dispose();
  });

  it("serves every kind of route unchanged", async () => {
    const call = async (method: "GET" | "POST", url: string, payload?: object) => {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload }) });
      if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
      return res;
    };
    expect((await call("POST", "/v1/actions", upvote("v1", "42", "7", { topic: "hops" }))).statusCode).toBe(201);
    const concurrent = await Promise.all(Array.from({ length: 20 }, (_, i) => call("POST", "/v1/actions", upvote(`c${i}`, `voter${i}`, "7"))));
    expect(concurrent.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const replay = await call("POST", "/v1/actions", upvote("v1", "42", "7", { topic: "hops" }));
    expect([replay.statusCode, replay.headers["repute-replay"]]).toEqual([200, "true"]);
    expect((await call("POST", "/v1/actions", { actions: [upvote("b1", "1", "8"), upvote("b2", "2", "8")] })).statusCode).toBe(201);
    expect((await call("GET", "/v1/users/7/reputation")).json().topics[0]).toMatchObject({ topic: "global", points: 200 });
    expect((await call("GET", "/v1/users/7/reputation/hops")).json()).toMatchObject({ user: "7", topic: "hops", points: 10 });
    expect((await call("GET", "/v1/users/7/history?limit=5")).json().entries).toHaveLength(5);
    expect((await call("GET", "/v1/leaderboards/global?limit=2")).json().entries.map((e: { user: string }) => e.user)).toEqual(["7", "8"]);
    expect((await call("GET", "/v1/users/8/rank/global")).json()).toMatchObject({ rank: 2 });
    expect((await call("POST", "/v1/topics", { id: "malt" })).statusCode).toBe(201);
    expect((await call("GET", "/v1/topics")).json().topics.map((t: { id: string }) => t.id)).toEqual(["hops", "malt"]);
    expect((await call("POST", "/v1/admin/adjustments", { user: "8", points: 5, reason: "bounty" })).statusCode).toBe(201);
    expect((await call("POST", "/v1/admin/rebuild")).json()).toMatchObject({ changed: 0 });
    expect((await call("GET", "/v1/admin/verify")).json()).toMatchObject({ ok: true });
    expect((await call("GET", "/readyz")).statusCode).toBe(200);
  });
});
