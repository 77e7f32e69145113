import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpFixture, httpFixture } from "./http-fixture.js";

/** One curl command of the README, parsed. */
interface Curl {
  line: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Splits a shell command line into words: '…' literal, "…" with $VARS expanded. */
function words(line: string, vars: Record<string, string>): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push((m[2] ?? m[3] ?? "").replace(/\$([A-Z_]+)/g, (_, name: string) => vars[name] ?? `$${name}`));
  }
  return out;
}

/** The curl commands of the README's HTTP section, continuation lines joined. */
function readmeCurls(vars: Record<string, string>): Curl[] {
  const md = readFileSync("README.md", "utf8");
  const section = md.slice(md.indexOf("## HTTP API"), md.indexOf("\n## ", md.indexOf("## HTTP API") + 1));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const lines = blocks.join("\n").replace(/\\\n\s*/g, "").split("\n");
  return lines
    .filter((l) => l.startsWith("curl "))
    .map((line) => {
      const w = words(line, vars);
      const url = w.find((x) => x.startsWith("localhost:4000"));
      if (url === undefined) throw new Error(`no URL in: ${line}`);
      const headers: Record<string, string> = {};
      let method: string | undefined;
      let body: string | undefined;
      w.forEach((x, i) => {
        const next = w[i + 1] ?? "";
        if (x === "-H") headers[next.slice(0, next.indexOf(":")).toLowerCase()] = next.slice(next.indexOf(":") + 1).trim();
        if (x === "-X") method = next;
        if (x === "-d") body = next;
      });
      return { line, method: method ?? (body === undefined ? "GET" : "POST"), path: url.slice("localhost:4000".length), headers, ...(body === undefined ? {} : { body }) };
    });
}

let f: HttpFixture;
beforeAll(async () => {
  f = await httpFixture();
});
afterAll(async () => {
  await f.close();
});

describe("the README's HTTP examples", () => {
  it("all succeed, in order, against the app", async () => {
    const curls = readmeCurls({ KEY: f.keys.app, ADMIN_KEY: f.keys.admin });
    expect(curls.length).toBeGreaterThan(15);
    for (const c of curls) {
      const r = await f.request({ method: c.method as "GET", url: c.path, as: "anonymous", headers: c.headers, ...(c.body === undefined ? {} : { payload: c.body }) });
      expect(r.statusCode, `${c.line}\n→ ${r.body.slice(0, 300)}`).toBeLessThan(400);
    }
    expect(await f.repute.verify()).toEqual({ ok: true, violations: [] });
  });

  it("show every API route", () => {
    const curls = readmeCurls({});
    const shown = (method: string, url: string) => {
      const pattern = new RegExp(`^${url.replace(/:\w+/g, "[^/?]+")}(\\?.*)?$`);
      return curls.some((c) => c.method === method && pattern.test(c.path));
    };
    const routes = f.app.routeList.filter((r) => r.method !== "OPTIONS" && r.method !== "HEAD" && !r.url.startsWith("/docs"));
    expect(routes.filter((r) => !shown(r.method, r.url)).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });
});
