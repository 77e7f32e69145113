import { describe, expect, it } from "vitest";
import { actionInputSchema, normalizeAction } from "./action.js";
import { ReputeError } from "./errors.js";
import { parseOrThrow } from "./validate.js";

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseOrThrow(actionInputSchema, input, "action");
  } catch (e) {
    if (e instanceof ReputeError && e.code === "VALIDATION_FAILED") return e.details?.issues as Array<{ path: string; message: string }>;
    throw e;
  }
  return [];
}

const ok = { id: "v1", type: "upvote", actor: "42", target: { type: "answer", id: "9", author: "7" } };

describe("action validation", () => {
  it("accepts the documented shape", () => {
    expect(issuesOf({ ...ok, topic: "typescript", at: "2026-11-20T10:00:00Z", data: { any: ["json", 1] } })).toEqual([]);
  });

  it("names each failing field path", () => {
    expect(issuesOf({ ...ok, id: undefined }).map((i) => i.path)).toEqual(["id"]);
    expect(issuesOf({ ...ok, actor: 42 }).map((i) => i.path)).toEqual(["actor"]);
    expect(issuesOf({ ...ok, target: { type: "answer", id: 9 } }).map((i) => i.path)).toEqual(["target.id"]);
    expect(issuesOf({ ...ok, at: "yesterday" }).map((i) => i.path)).toEqual(["at"]);
    expect(issuesOf({ ...ok, topic: "two words" }).map((i) => i.path)).toEqual(["topic"]);
    expect(issuesOf({ ...ok, id: "" }).map((i) => i.path)).toEqual(["id"]);
    expect(issuesOf({ ...ok, id: "x".repeat(256) }).map((i) => i.path)).toEqual(["id"]);
  });

  it("counts lengths in characters: an emoji is one", () => {
    expect(issuesOf({ ...ok, id: `${"a".repeat(254)}😀` })).toEqual([]);
    expect(issuesOf({ ...ok, id: `${"a".repeat(255)}😀` }).map((i) => i.path)).toEqual(["id"]);
  });

  it("takes data as JSON only, refusing what it cannot keep or read safely, at its path", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const cases: Array<[unknown, string, RegExp]> = [
      [{ x: deep }, "data.x", /^nests deeper than 64 levels/],
      [cyclic, "data.self", /^nests deeper than 64 levels \(or holds itself\)$/],
      [{ n: [1, { m: Number.POSITIVE_INFINITY }] }, "data.n[1].m", /not Infinity$/],
      [{ d: new Date(0) }, "data.d", /not a Date$/],
      [{ u: undefined }, "data.u", /not undefined$/],
      [JSON.parse('{"a":{"__proto__":{"polluted":1}}}'), "data.a", /^has a key "__proto__"/],
    ];
    for (const [data, path, message] of cases) {
      const issues = issuesOf({ ...ok, data });
      expect(issues.map((i) => i.path)).toEqual([path]);
      expect(issues[0]?.message).toMatch(message);
    }
    // Right at the limit, and keys that are only special elsewhere, are kept as they are.
    let sixtyFour: unknown = 1;
    for (let i = 0; i < 63; i++) sixtyFour = [sixtyFour];
    const kept = parseOrThrow(actionInputSchema, { ...ok, data: { x: sixtyFour, constructor: { prototype: 1 } } }, "action");
    expect(kept.data).toEqual({ x: sixtyFour, constructor: { prototype: 1 } });
  });

  it("says a missing field is required, and a field of the wrong type what it must be", () => {
    expect(issuesOf({ id: "r", type: "revert", reverts: "v1" })).toEqual([{ path: "actor", message: "required" }]);
    expect(issuesOf({ ...ok, target: { type: "answer", id: "9", author: 7 } })).toEqual([{ path: "target.author", message: "must be a string" }]);
    expect(issuesOf({ ...ok, type: undefined, topic: 5 })).toEqual([
      { path: "type", message: "required" },
      { path: "topic", message: "must be a string" },
    ]);
  });

  it("refuses control characters and lone surrogates in every id and type, as they would collide in keys", () => {
    const target = ok.target;
    const cases: Array<[object, string]> = [
      [{ ...ok, target: { ...target, type: "a\u001fb" } }, "target.type"],
      [{ ...ok, target: { ...target, id: "b\u0000c" } }, "target.id"],
      [{ ...ok, type: "up\u0085vote" }, "type"],
      [{ ...ok, actor: "4\u009f2" }, "actor"],
      [{ ...ok, id: "v\ud800" }, "id"],
      [{ ...ok, target: { ...target, author: "\udc007" } }, "target.author"],
      [{ ...ok, topic: "tea\u0080" }, "topic"],
    ];
    for (const [input, path] of cases) expect(issuesOf(input).map((i) => i.path), path).toEqual([path]);
    expect(issuesOf({ ...ok, id: "v\ud83c\udf7a", actor: "Zoë", target: { ...target, id: "問題" } })).toEqual([]);
  });

  it("refuses unknown fields (a typo is not silently ignored)", () => {
    expect(issuesOf({ ...ok, targte: {} }).map((i) => i.path)).toEqual(["(root)"]);
  });

  it("a revert must name what it reverts, and only a revert may", () => {
    expect(issuesOf({ id: "r", type: "revert", actor: "1" }).map((i) => i.path)).toEqual(["reverts"]);
    expect(issuesOf({ ...ok, reverts: "x" }).map((i) => i.path)).toEqual(["reverts"]);
  });

  it("an adjustment targets a user and carries whole, non-zero points and a reason", () => {
    const adj = { id: "a", type: "adjust", actor: "admin", target: { type: "user", id: "7" }, data: { points: 5, reason: "bounty" } };
    expect(issuesOf(adj)).toEqual([]);
    expect(issuesOf({ ...adj, target: { type: "answer", id: "7" } }).map((i) => i.path)).toEqual(["target"]);
    expect(issuesOf({ ...adj, data: { points: 0, reason: "x" } }).map((i) => i.path)).toEqual(["data.points"]);
    expect(issuesOf({ ...adj, data: { points: 1.5 } }).map((i) => i.path).sort()).toEqual(["data.points", "data.reason"]);
  });

  it("defaults `at` to the receive time and refuses times far in the future", () => {
    const now = Date.parse("2026-11-20T10:00:00Z");
    expect(normalizeAction(parseOrThrow(actionInputSchema, ok, "action"), now).action.at).toBe(now);
    const future = parseOrThrow(actionInputSchema, { ...ok, at: "2026-11-20T10:06:00Z" }, "action");
    expect(() => normalizeAction(future, now)).toThrow(/future/);
    const skew = parseOrThrow(actionInputSchema, { ...ok, at: "2026-11-20T10:04:00Z" }, "action");
    expect(normalizeAction(skew, now).action.at).toBe(Date.parse("2026-11-20T10:04:00Z"));
  });
});

describe("canonical form", () => {
  it("equals the generic canonical JSON of the action as submitted", async () => {
    const { canonicalJson } = await import("./canonical-json.js");
    const now = Date.parse("2026-11-20T10:00:00Z");
    const cases = [
      ok,
      { ...ok, topic: "t", at: "2026-11-20T11:00:00+01:00", data: { z: 1, a: [{ y: 2, b: null }] } },
      { id: "r", type: "revert", actor: "x", reverts: "v1" },
      { id: "a", type: "adjust", actor: "admin", target: { type: "user", id: "7" }, data: { points: 5, reason: "é \" \\\\ ✓" } },
      { id: 'q"uote', type: "post", actor: "u", target: { type: "question", id: "1" } },
    ];
    for (const input of cases) {
      const parsed = parseOrThrow(actionInputSchema, input, "action");
      const at = parsed.at === undefined ? undefined : new Date(Date.parse(parsed.at)).toISOString();
      expect(normalizeAction(parsed, now).canonical).toBe(canonicalJson({ ...parsed, at }));
    }
  });
});
