import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthLevel } from "../../src/http/auth.js";
import { registerAuthLevels } from "../../src/http/auth.js";
import { type Caller, type HttpFixture, httpFixture, upvote } from "./http-fixture.js";

/** One request per route that succeeds for a caller allowed to make it. */
interface Probe {
  auth: AuthLevel;
  url: string;
  payload?: () => object;
  headers?: Record<string, string>;
}

let n = 0;
/**
 * The auth matrix: every route of the app, by `METHOD pattern`, with the level it must
 * have. The test below fails when the app has a route this table does not list.
 */
const matrix: Record<string, Probe> = {
  "GET /healthz": { auth: "public", url: "/healthz" },
  "GET /readyz": { auth: "public", url: "/readyz" },
  "GET /openapi.json": { auth: "public", url: "/openapi.json" },
  "GET /docs": { auth: "public", url: "/docs" },
  "GET /docs/json": { auth: "public", url: "/docs/json" },
  "GET /docs/yaml": { auth: "public", url: "/docs/yaml" },
  "GET /docs/static/index.html": { auth: "public", url: "/docs/static/index.html" },
  "GET /docs/static/swagger-initializer.js": { auth: "public", url: "/docs/static/swagger-initializer.js" },
  "GET /docs/static/*": { auth: "public", url: "/docs/static/swagger-ui.css" },
  "HEAD /docs/static/*": { auth: "public", url: "/docs/static/swagger-ui.css" },
  "OPTIONS *": { auth: "public", url: "/v1/actions", headers: { origin: "https://app.example.com", "access-control-request-method": "POST" } },
  "GET /metrics": { auth: "admin", url: "/metrics" },
  "GET /v1/actions/:id": { auth: "read", url: "/v1/actions/seed" },
  "GET /v1/users/:id/reputation": { auth: "read", url: "/v1/users/7/reputation" },
  "GET /v1/users/:id/reputation/:topic": { auth: "read", url: "/v1/users/7/reputation/global" },
  "GET /v1/users/:id/history": { auth: "read", url: "/v1/users/7/history" },
  "GET /v1/leaderboards/:topic": { auth: "read", url: "/v1/leaderboards/global" },
  "GET /v1/users/:id/rank/:topic": { auth: "read", url: "/v1/users/7/rank/global" },
  "GET /v1/topics": { auth: "read", url: "/v1/topics" },
  "POST /v1/actions": { auth: "app", url: "/v1/actions", payload: () => upvote(`m${n++}`) },
  "POST /v1/topics": { auth: "admin", url: "/v1/topics", payload: () => ({ id: "beer" }) },
  "POST /v1/admin/adjustments": { auth: "admin", url: "/v1/admin/adjustments", payload: () => ({ user: "7", points: 1, reason: "matrix" }) },
  "POST /v1/admin/rebuild": { auth: "admin", url: "/v1/admin/rebuild" },
  "GET /v1/admin/verify": { auth: "admin", url: "/v1/admin/verify" },
};

const callers: Caller[] = ["anonymous", "read", "app", "admin"];
const rank: Record<string, number> = { anonymous: -1, public: -1, read: 0, app: 1, admin: 2 };

/** What a caller must get from a route of a level: ok (< 400), 401 or 403. */
function expected(level: AuthLevel, caller: string, publicReads: boolean): "ok" | 401 | 403 {
  if (level === "public") return "ok";
  if (caller === "anonymous") return publicReads && level === "read" ? "ok" : 401;
  return (rank[caller] as number) >= (rank[level] as number) ? "ok" : 403;
}

function outcome(status: number): "ok" | number {
  return status < 400 ? "ok" : status;
}

async function runMatrix(f: HttpFixture, publicReads: boolean) {
  const failures: string[] = [];
  for (const [key, probe] of Object.entries(matrix)) {
    const method = key.split(" ")[0] as "GET" | "POST" | "HEAD" | "OPTIONS";
    for (const caller of callers) {
      const r = await f.request({ method, url: probe.url, as: caller, ...(probe.headers ? { headers: probe.headers } : {}), ...(probe.payload ? { payload: probe.payload() } : {}) });
      const want = expected(probe.auth, caller as string, publicReads);
      if (outcome(r.statusCode) !== want) failures.push(`${key} as ${String(caller)}: expected ${want}, got ${r.statusCode} ${r.body.slice(0, 120)}`);
      if (want !== "ok") expect(r.json().error.code).toBe(want === 401 ? "UNAUTHORIZED" : "FORBIDDEN");
    }
  }
  expect(failures).toEqual([]);
}

describe("the auth matrix", () => {
  let f: HttpFixture;
  beforeAll(async () => {
    f = await httpFixture({ env: { REPUTE_CORS_ORIGINS: "https://app.example.com" } });
    await f.repute.submit(upvote("seed"));
  });
  afterAll(async () => {
    await f.close();
  });

  it("lists every route of the app, at the level the route declares", () => {
    const registered = Object.fromEntries(f.app.routeList.map((r) => [`${r.method} ${r.url}`, r.auth]));
    const missing = Object.keys(registered).filter((k) => !(k in matrix));
    expect(missing, "routes missing from the auth matrix").toEqual([]);
    const stale = Object.keys(matrix).filter((k) => !(k in registered));
    expect(stale, "matrix rows for routes that do not exist").toEqual([]);
    for (const [key, probe] of Object.entries(matrix)) expect(registered[key], key).toBe(probe.auth);
  });

  it("every route × no key / read / app / admin → 2xx–3xx, 401 or 403", async () => {
    await runMatrix(f, false);
  });

  it("with public reads on, anonymous callers read but still cannot write", async () => {
    const open = await httpFixture({ env: { REPUTE_PUBLIC_READS: "true", REPUTE_CORS_ORIGINS: "https://app.example.com" } });
    try {
      await open.repute.submit(upvote("seed"));
      await runMatrix(open, true);
    } finally {
      await open.close();
    }
  });
});

describe("keys", () => {
  let f: HttpFixture;
  beforeAll(async () => {
    f = await httpFixture({ env: { REPUTE_PUBLIC_READS: "true" } });
  });
  afterAll(async () => {
    await f.close();
  });

  it("refuses a malformed header, an unknown key and a revoked key with 401, even on public reads", async () => {
    for (const authorization of ["Basic abc", "Bearer", `Token ${f.keys.read}`, "Bearer rpk_unknown", `Bearer ${f.keys.read} extra`]) {
      const r = await f.request({ url: "/v1/topics", as: { authorization } });
      expect(r.statusCode, authorization).toBe(401);
      expect(r.headers["www-authenticate"]).toMatch(/^Bearer realm="repute"/);
    }
    const { key } = await f.repute.apiKeys.create({ name: "soon-gone", role: "admin" });
    expect((await f.request({ url: "/v1/admin/verify", as: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    await f.repute.apiKeys.revoke("soon-gone");
    const r = await f.request({ url: "/v1/admin/verify", as: { authorization: `Bearer ${key}` } });
    expect([r.statusCode, r.json().error.message]).toEqual([401, "the API key is unknown or revoked"]);
  });

  it("accepts the scheme in any case", async () => {
    expect((await f.request({ url: "/v1/topics", as: { authorization: `bearer ${f.keys.read}` } })).statusCode).toBe(200);
  });

  it("403 names the key, its role and the role needed", async () => {
    const r = await f.request({ method: "POST", url: "/v1/admin/rebuild", as: "app" });
    expect(r.statusCode).toBe(403);
    expect(r.json().error).toMatchObject({ code: "FORBIDDEN", details: { key: "app-key", role: "app", required: "admin" } });
  });
});

describe("a route without an auth level", () => {
  it("cannot be registered", async () => {
    const app = Fastify();
    registerAuthLevels(app, { publicReads: false });
    expect(() => app.get("/forgotten", async () => "oops")).toThrow(/route GET \/forgotten has no auth level/);
    expect(() => app.get("/declared", { config: { auth: "read" } }, async () => "fine")).not.toThrow();
    await app.close();
  });
});
