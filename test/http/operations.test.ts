import { createHash } from "node:crypto";
import { type Socket, connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FixtureOptions, type HttpFixture, httpFixture, upvote } from "./http-fixture.js";

let f: HttpFixture;
async function setup(options: FixtureOptions = {}) {
  f = await httpFixture(options);
}
afterEach(async () => {
  await f.close();
});

describe("request ids", () => {
  it("echoes a well-formed X-Request-Id, in headers and error bodies", async () => {
    await setup();
    const ok = await f.request({ url: "/v1/topics", as: "read", headers: { "x-request-id": "lb-1234:abc.DEF_9-x" } });
    expect(ok.headers["x-request-id"]).toBe("lb-1234:abc.DEF_9-x");
    const err = await f.request({ url: "/v1/nope", as: "read", headers: { "x-request-id": "trace-42" } });
    expect([err.headers["x-request-id"], err.json().error.requestId]).toEqual(["trace-42", "trace-42"]);
  });

  it("replaces a malformed or overlong one with a fresh UUID", async () => {
    await setup();
    for (const given of ["has spaces", "x".repeat(129), "<script>", ""]) {
      const r = await f.request({ url: "/healthz", as: "anonymous", headers: { "x-request-id": given } });
      expect(r.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const a = await f.request({ url: "/healthz", as: "anonymous" });
    const b = await f.request({ url: "/healthz", as: "anonymous" });
    expect(a.headers["x-request-id"]).not.toBe(b.headers["x-request-id"]);
  });
});

describe("caching", () => {
  it("reads carry an ETag and Cache-Control: private, no-cache; If-None-Match answers 304 until the data changes", async () => {
    await setup();
    await f.request({ method: "POST", url: "/v1/actions", payload: upvote("v1"), as: "app" });
    const first = await f.request({ url: "/v1/users/7/reputation", as: "read" });
    expect(first.headers["cache-control"]).toBe("private, no-cache");
    const etag = first.headers.etag as string;
    // The SHA-1 of the body, as the ETag plugin has always made it: tags clients hold from earlier versions still revalidate.
    expect(etag).toBe(`"${createHash("sha1").update(first.body).digest("base64")}"`);
    const same = await f.request({ url: "/v1/users/7/reputation", as: "read", headers: { "if-none-match": etag } });
    expect([same.statusCode, same.body]).toEqual([304, ""]);
    // A list of tags, a weak one among them, and `*` revalidate too.
    for (const header of [`"other", ${etag}`, `"other", W/${etag}`, "*"]) {
      const r = await f.request({ url: "/v1/users/7/reputation", as: "read", headers: { "if-none-match": header } });
      expect([r.statusCode, r.body], header).toEqual([304, ""]);
    }
    expect((await f.request({ url: "/v1/users/7/reputation", as: "read", headers: { "if-none-match": '"other", "another"' } })).statusCode).toBe(200);
    await f.request({ method: "POST", url: "/v1/actions", payload: upvote("v2", "43"), as: "app" });
    const changed = await f.request({ url: "/v1/users/7/reputation", as: "read", headers: { "if-none-match": etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it("writes, admin routes and errors are never stored, and errors carry no ETag", async () => {
    await setup();
    const write = await f.request({ method: "POST", url: "/v1/actions", payload: upvote("v1"), as: "app" });
    expect([write.headers["cache-control"], write.headers.etag]).toEqual(["no-store", undefined]);
    expect((await f.request({ url: "/v1/admin/verify" })).headers["cache-control"]).toBe("no-store");
    const error = await f.request({ url: "/v1/leaderboards/global?limit=0", as: "read" });
    expect([error.statusCode, error.headers["cache-control"], error.headers.etag]).toEqual([400, "no-store", undefined]);
  });
});

describe("CORS", () => {
  it("allows the configured origins only, and exposes the service's headers", async () => {
    await setup({ env: { REPUTE_CORS_ORIGINS: "https://app.example.com, https://admin.example.com" } });
    const allowed = await f.request({ url: "/v1/topics", as: "read", headers: { origin: "https://admin.example.com" } });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://admin.example.com");
    expect(allowed.headers["access-control-expose-headers"]).toContain("x-request-id");
    const other = await f.request({ url: "/v1/topics", as: "read", headers: { origin: "https://evil.example.com" } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await f.request({
      method: "OPTIONS",
      url: "/v1/actions",
      as: "anonymous",
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    // It carries the request id like every answer, and offers the methods the service serves.
    expect(preflight.headers["x-request-id"]).toEqual(expect.any(String));
    expect(preflight.headers["access-control-allow-methods"]).toBe("GET, POST");
  });

  it("puts its headers on refusals too, so a browser app can read a 401 or 403 and its request id", async () => {
    await setup({ env: { REPUTE_CORS_ORIGINS: "https://app.example.com" } });
    const origin = { origin: "https://app.example.com" };
    const noKey = await f.request({ url: "/v1/topics", as: "anonymous", headers: origin });
    const wrongRole = await f.request({ method: "POST", url: "/v1/topics", as: "read", headers: origin, payload: { id: "x" } });
    for (const [r, status] of [[noKey, 401], [wrongRole, 403]] as const) {
      expect(r.statusCode).toBe(status);
      expect(r.headers["access-control-allow-origin"]).toBe("https://app.example.com");
      expect(r.headers["access-control-expose-headers"]).toContain("x-request-id");
    }
  });

  it("sends no CORS headers when no origin is configured", async () => {
    await setup();
    const r = await f.request({ url: "/v1/topics", as: "read", headers: { origin: "https://app.example.com" } });
    expect(r.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("logs", () => {
  it("are JSON lines with the request id, and never show an API key", async () => {
    const lines: string[] = [];
    await setup({ env: { LOG_LEVEL: "trace" }, deps: { logStream: { write: (line) => lines.push(line) } } });
    await f.request({ url: "/v1/topics", as: "read", headers: { "x-request-id": "find-me" } });
    await f.request({ url: "/v1/topics", as: { authorization: "Bearer rpk_not-a-real-key" } });
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.some((e) => e.requestId === "find-me" && e.msg === "request completed")).toBe(true);
    expect(entries.some((e) => e.code === "UNAUTHORIZED")).toBe(true);
    const all = lines.join("\n");
    expect(all).not.toContain(f.keys.read);
    expect(all).not.toContain("rpk_not-a-real-key");
  });
});

/**
 * Listens on a free port and returns a way to open raw TCP connections to it, each
 * writing `first` (if any) and collecting what comes back until the server closes it.
 */
async function rawConnections(): Promise<(first: string) => Promise<{ socket: Socket; closed: Promise<string> }>> {
  const { port } = new URL(await f.app.listen({ port: 0, host: "127.0.0.1" }));
  return (first) =>
    new Promise((resolve) => {
      let answer = "";
      const socket = connect({ port: Number(port), host: "127.0.0.1" }, () => {
        if (first !== "") socket.write(first);
        resolve({ socket, closed });
      });
      const closed = new Promise<string>((done) => socket.on("close", () => done(answer)));
      socket.on("data", (chunk) => (answer += chunk.toString()));
      socket.on("error", () => undefined);
    });
}

describe("requests Node's HTTP parser cannot read", () => {
  it("get the one error shape, with a request id, and the connection is closed", async () => {
    await setup();
    const open = await rawConnections();
    const raw = async (request: string) => (await open(request)).closed;
    const cases = [
      ["a garbage request line", "NOT HTTP AT ALL\r\n\r\n"],
      ["a bad Content-Length", "POST /v1/actions HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"],
      ["headers over 16 KiB", `GET /v1/topics?${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ];
    for (const [what, request] of cases) {
      const answer = await raw(request as string);
      const [head = "", body = ""] = answer.split("\r\n\r\n");
      expect(head, what).toMatch(/^HTTP\/1\.1 400 /);
      const requestId = /x-request-id: (\S+)/i.exec(head)?.[1];
      expect(JSON.parse(body), what).toEqual({
        error: { code: "VALIDATION_FAILED", message: expect.stringMatching(/^invalid request: /), requestId, details: { issues: [{ path: "(request)", message: expect.any(String) }] } },
      });
    }
  });
});

describe("shutdown", () => {
  it("does not wait for connections that never bring a whole request", async () => {
    await setup();
    const open = await rawConnections();
    const silent = await open("");
    const halfSent = await open("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const closed = f.app.close().then(() => "closed");
    const waited = new Promise((resolve) => setTimeout(() => resolve("still open after 5 s"), 5_000));
    expect(await Promise.race([closed, waited])).toBe("closed");
    await Promise.all([silent.closed, halfSent.closed]);
  });

  it("ends a request whose body stalls once the shutdown deadline passes, instead of waiting for it for good", async () => {
    await setup({ env: { REPUTE_SHUTDOWN_TIMEOUT_MS: "300" } });
    const open = await rawConnections();
    const stalled = await open(`POST /v1/actions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${f.keys.app}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id"`);
    await new Promise((r) => setTimeout(r, 50)); // the request is in flight, waiting for its body
    const closed = f.app.close().then(() => "closed");
    const waited = new Promise((resolve) => setTimeout(() => resolve("still open after 5 s"), 5_000));
    expect(await Promise.race([closed, waited])).toBe("closed");
    await stalled.closed;
  });

  it("answers a request that reached the server just as it began to close, instead of dropping its connection", async () => {
    await setup();
    const open = await rawConnections();
    const sent = await open("");
    // Written before closing begins, read by the server only after: it still gets an answer.
    sent.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const closed = f.app.close();
    expect(await sent.closed).toMatch(/^HTTP\/1\.1 (200|503) /);
    await closed;
  });

  it("answers the requests in flight, refuses those that arrive after closing began with 503, and drains the group committer", async () => {
    await setup();
    const inFlight = Array.from({ length: 30 }, (_, i) => f.request({ method: "POST", url: "/v1/actions", payload: upvote(`v${i}`, `voter${i}`, `author${i}`), as: "app" }));
    const closed = f.app.close();
    const late = f.request({ method: "POST", url: "/v1/actions", payload: upvote("late"), as: "app" });
    const answers = await Promise.all(inFlight);
    await closed;
    const lateAnswer = await late;
    expect([lateAnswer.statusCode, lateAnswer.json().error.code]).toEqual([503, "SERVICE_UNAVAILABLE"]);
    const acknowledged = answers.filter((r) => r.statusCode === 201).map((r) => r.json().action as string);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(answers.every((r) => r.statusCode === 201 || r.statusCode === 503)).toBe(true);
    for (const id of acknowledged) expect(await f.repute.action(id), id).not.toBeNull();
    expect(f.counts().actions).toBe(acknowledged.length);
    expect(f.app.groupCommit.pending).toBe(0);
  });
});
