import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpFixture, httpFixture } from "./http-fixture.js";

let f: HttpFixture;
let doc: {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: Array<{ in: string; name: string }>; security?: unknown[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
};

beforeAll(async () => {
  f = await httpFixture();
  const r = await f.request({ url: "/openapi.json", as: "anonymous" });
  expect(r.statusCode).toBe(200);
  doc = r.json();
});
afterAll(async () => {
  await f.close();
});

/** Every `$ref` value anywhere in a JSON value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" ? [v] : refs(v)));
}

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("refers only to schemas it defines", () => {
    const missing = refs(doc).filter((ref) => !(ref.startsWith("#/components/schemas/") && ref.slice("#/components/schemas/".length) in doc.components.schemas));
    expect(missing).toEqual([]);
  });

  it("documents every /v1 route with its request schema, parameters, answers and security", () => {
    const v1 = f.app.routeList.filter((r) => r.url.startsWith("/v1/"));
    expect(v1.length).toBe(12);
    for (const route of v1) {
      const path = route.url.replace(/:(\w+)/g, "{$1}");
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${path}`).toBeDefined();
      if (op === undefined) continue;
      if (route.method === "POST" && route.url !== "/v1/admin/rebuild") expect(op.requestBody?.content["application/json"]?.schema, `${route.method} ${path} body`).toBeDefined();
      const pathParams = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
      expect(op.parameters?.filter((p) => p.in === "path").map((p) => p.name) ?? [], `${route.method} ${path} params`).toEqual(pathParams);
      expect(Object.keys(op.responses), `${route.method} ${path} responses`).toEqual(expect.arrayContaining(["200", "4XX", "5XX"]));
      expect(op.security).toEqual([{ apiKey: [] }]);
    }
    const history = doc.paths["/v1/users/{id}/history"]?.get;
    expect(history?.parameters?.filter((p) => p.in === "query").map((p) => p.name)).toEqual(["limit", "cursor", "topic"]);
  });

  it("describes an action with the engine's own rules", () => {
    const action = doc.components.schemas.ActionInput as { required: string[]; properties: Record<string, { maxLength?: number }>; additionalProperties: boolean };
    expect(action.required).toEqual(["id", "type", "actor"]);
    expect(action.properties.id?.maxLength).toBe(255);
    expect(action.additionalProperties).toBe(false);
  });
});

describe("with public reads", () => {
  it("documents that read routes take a key or none", async () => {
    const open = await httpFixture({ env: { REPUTE_PUBLIC_READS: "true" } });
    try {
      const d = (await open.request({ url: "/openapi.json", as: "anonymous" })).json();
      expect(d.paths["/v1/topics"].get.security).toEqual([{ apiKey: [] }, {}]);
      expect(d.paths["/v1/topics"].post.security).toEqual([{ apiKey: [] }]);
      expect((await new Validator().validate(d)).valid).toBe(true);
    } finally {
      await open.close();
    }
  });
});

describe("GET /docs", () => {
  it("serves the browsable reference, with its assets, without a key", async () => {
    const page = await f.request({ url: "/docs", as: "anonymous" });
    expect(page.statusCode).toBe(200);
    expect((await f.request({ url: "/docs/", as: "anonymous" })).statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toMatch(/swagger-ui/i);
    const css = await f.request({ url: "/docs/static/swagger-ui.css", as: "anonymous" });
    expect([css.statusCode, css.headers["content-type"]]).toEqual([200, expect.stringMatching(/^text\/css/)]);
    const spec = await f.request({ url: "/docs/json", as: "anonymous" });
    expect(spec.json().paths).toEqual(doc.paths);
  });
});
