import { describe, expect, it } from "vitest";
import { interestsPreset } from "./rules/presets/interests.js";
import { qaPreset } from "./rules/presets/qa.js";
import type { ReputeConfigInput } from "./rules/repute-config.js";
import { codeOf } from "./testing/error-code.js";
import { LedgerHarness } from "./testing/ledger-harness.js";

const answer = (id: string, author: string) => ({ type: "answer", id, author });

describe("decide: idempotency", () => {
  it("the same id and content returns the original result, marked as a replay, and changes nothing", () => {
    const h = new LedgerHarness(qaPreset);
    const first = h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7") });
    h.now += 60_000; // a retry without `at` a minute later is still the same action
    const again = h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7") });
    expect(again).toEqual({ ...first, replay: true });
    expect(h.total("7")).toBe(10);
  });

  it("the same id with different content is ACTION_ID_CONFLICT", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7") });
    expect(codeOf(() => h.submit({ id: "v1", type: "upvote", actor: "43", target: answer("9", "7") }))).toBe("ACTION_ID_CONFLICT");
    expect(codeOf(() => h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7"), at: "2026-11-20T09:00:00Z" }))).toBe(
      "ACTION_ID_CONFLICT",
    );
  });

  it("key order and time zone notation do not make content different", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7"), at: "2026-11-20T10:00:00Z" });
    const again = h.submit({ at: "2026-11-20T11:00:00+01:00", target: { author: "7", id: "9", type: "answer" }, actor: "42", type: "upvote", id: "v1" });
    expect(again.replay).toBe(true);
  });
});

describe("decide: revert", () => {
  it("appends exactly the negation of what the action applied, rollups included", () => {
    const h = new LedgerHarness({ ...interestsPreset, topics: { ...interestsPreset.topics, tree: [{ id: "a" }, { id: "b", parent: "a" }, { id: "c", parent: "b" }] } });
    const applied = h.submit({ id: "x", type: "adjust", actor: "admin", target: { type: "user", id: "u" }, topic: "c", data: { points: 7, reason: "r" } });
    const reverted = h.submit({ id: "undo", type: "revert", actor: "admin", reverts: "x" });
    expect(reverted.entries.map((e) => [e.topic, e.delta, e.kind])).toEqual(applied.entries.map((e) => [e.topic, -e.delta, "revert"]));
    for (const t of ["a", "b", "c"]) expect(h.total("u", t)).toBe(0);
  });

  it("reverting twice changes nothing", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7") });
    h.submit({ id: "r1", type: "revert", actor: "42", reverts: "v1" });
    const second = h.submit({ id: "r2", type: "revert", actor: "42", reverts: "v1" });
    expect(second.entries).toEqual([]);
    expect(h.total("7")).toBe(0);
  });

  it("reverting an unknown id is ACTION_NOT_FOUND; a revert cannot be reverted", () => {
    const h = new LedgerHarness(qaPreset);
    expect(codeOf(() => h.submit({ id: "r1", type: "revert", actor: "42", reverts: "nope" }))).toBe("ACTION_NOT_FOUND");
    h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7") });
    h.submit({ id: "r1", type: "revert", actor: "42", reverts: "v1" });
    expect(codeOf(() => h.submit({ id: "r2", type: "revert", actor: "42", reverts: "r1" }))).toBe("ACTION_NOT_REVERTIBLE");
  });

  it("a revert dated before the action it reverts is ACTION_INVALID; one dated when received moves up to the action's time", () => {
    const h = new LedgerHarness({ ...qaPreset, publication: { schedule: "daily", at: "00:00" } }); // received at 2026-11-20T10:00Z
    h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7"), at: "2026-11-20T09:00:00Z" });
    // Dated in an earlier day, it would take published points for an award still pending.
    expect(codeOf(() => h.submit({ id: "r1", type: "revert", actor: "42", reverts: "v1", at: "2026-11-01T00:00:00Z" }))).toBe("ACTION_INVALID");
    expect([h.points("7"), h.pending("7")]).toEqual([0, 10]);
    // Dated ahead of the engine's clock (allowed up to 5 minutes), then reverted without a date.
    h.submit({ id: "v2", type: "upvote", actor: "43", target: answer("10", "8"), at: "2026-11-20T10:04:00Z" });
    h.submit({ id: "r2", type: "revert", actor: "43", reverts: "v2" });
    expect(h.state.action("r2")?.action.at).toBe(Date.parse("2026-11-20T10:04:00Z"));
    expect([h.points("8"), h.pending("8")]).toEqual([0, 0]);
    // Dated by its sender at or after the action, it keeps its own time.
    h.submit({ id: "r1", type: "revert", actor: "42", reverts: "v1", at: "2026-11-20T09:00:00Z" });
    expect(h.state.action("r1")?.action.at).toBe(Date.parse("2026-11-20T09:00:00Z"));
    expect(h.total("7")).toBe(0);
  });

  it("a revert takes back capped amounts exactly as applied", () => {
    const h = new LedgerHarness(qaPreset);
    for (let i = 0; i < 20; i++) h.submit({ id: `v${i}`, type: "upvote", actor: `w${i}`, target: answer(`${i}`, "7") });
    expect(h.total("7")).toBe(200);
    h.submit({ id: "v20", type: "upvote", actor: "w20", target: answer("20", "7") }); // applied 0 to 7
    h.submit({ id: "r", type: "revert", actor: "w20", reverts: "v20" });
    expect(h.total("7")).toBe(200);
    expect(h.total("w20")).toBe(0);
  });
});

describe("decide: broken contracts", () => {
  it("rejects unknown action and target types", () => {
    const h = new LedgerHarness(qaPreset);
    expect(codeOf(() => h.submit({ id: "x", type: "teleport", actor: "1" }))).toBe("UNKNOWN_ACTION_TYPE");
    expect(codeOf(() => h.submit({ id: "x", type: "upvote", actor: "1", target: { type: "comment", id: "1", author: "2" } }))).toBe("UNKNOWN_TARGET_TYPE");
  });

  it("an author award needs target.author", () => {
    const h = new LedgerHarness(qaPreset);
    expect(codeOf(() => h.submit({ id: "x", type: "upvote", actor: "1", target: { type: "answer", id: "1" } }))).toBe("ACTION_INVALID");
  });

  it("an unknown topic is TOPIC_NOT_FOUND unless topics are created on first use", () => {
    const interests = new LedgerHarness(interestsPreset);
    expect(codeOf(() => interests.submit({ id: "x", type: "select_interest", actor: "1", topic: "nope" }))).toBe("TOPIC_NOT_FOUND");
    const qa = new LedgerHarness(qaPreset);
    const r = qa.submit({ id: "x", type: "post", actor: "1", target: answer("1", "1"), topic: "brand-new-tag" });
    expect(r.entries.map((e) => e.topic)).toEqual(["brand-new-tag", "global"]);
    expect(qa.state.topic("brand-new-tag")).toEqual({ id: "brand-new-tag", parent: "global", depth: 1 });
  });
});

describe("decide: floor and self policy", () => {
  const floored: ReputeConfigInput = { ...qaPreset, floor: 1 };

  it("a floor keeps rules from taking a total below it, and records what was asked", () => {
    const h = new LedgerHarness(floored);
    h.submit({ id: "p", type: "post", actor: "7", target: { type: "question", id: "1", author: "7" } });
    expect(h.total("7")).toBe(5);
    for (let i = 0; i < 3; i++) h.submit({ id: `d${i}`, type: "downvote", actor: `w${i}`, target: { type: "question", id: "1", author: "7" } });
    expect(h.total("7")).toBe(1);
    const r = h.submit({ id: "d3", type: "downvote", actor: "w3", target: { type: "question", id: "1", author: "7" } });
    expect(r.entries.filter((e) => e.user === "7")).toEqual([]);
    expect(h.total("7")).toBe(1);
  });

  it("a rollup's or global's copy the floor keeps out entirely is withheld in that topic", () => {
    const h = new LedgerHarness({
      rules: [
        { id: "up", action: "up", author: 10 },
        { id: "down", action: "down", author: -4, description: "disliked" },
      ],
      floor: 0,
      topics: { rollup: [1, 0.5], tree: [{ id: "p" }, { id: "k", parent: "p" }] },
    });
    const vote = (id: string, type: string, topic: string) => h.submit({ id, type, actor: `x${id}`, target: { type: "post", id: "1", author: "b" }, topic });
    vote("u", "up", "k"); // k 10, p 5, global 10
    vote("d1", "down", "p"); // p 1, global 6
    const partly = vote("d2", "down", "k"); // k 6; p asked -2, got -1; global 2
    expect(partly.entries.map((e) => [e.topic, e.delta, e.requested])).toEqual([["k", -4, null], ["p", -1, -2], ["global", -4, null]]);
    expect(partly.withheld).toEqual([]);
    const kept = vote("d3", "down", "k"); // k 2; p stays at 0; global asked -4, got -2
    expect(kept.entries.map((e) => [e.topic, e.delta, e.requested])).toEqual([["k", -4, null], ["global", -2, -4]]);
    expect(kept.withheld).toEqual([
      { rule: "down", user: "b", role: "author", points: -2, why: "floor", holder: null, topic: "p", reason: "disliked (post 1) by xd3 in k (floor 0 reached in p: -2 asked)" },
    ]);
    expect([h.total("b", "k"), h.total("b", "p"), h.total("b")]).toEqual([2, 0, 0]);
    const last = vote("d4", "down", "k"); // k asked -4, got -2; p and global stay at 0
    expect(last.entries.map((e) => [e.topic, e.delta, e.requested])).toEqual([["k", -2, -4]]);
    expect(last.withheld.map((w) => [w.why, w.topic, w.points])).toEqual([["floor", "p", -1], ["floor", "global", -2]]);
    // Once k is at the floor too, the award itself is withheld, without a topic.
    expect(vote("d5", "down", "k").withheld.map((w) => [w.why, w.topic, w.points])).toEqual([["floor", undefined, -4]]);
  });

  it("a revert is exact even below the floor (the undone points were never earned)", () => {
    const h = new LedgerHarness(floored);
    h.submit({ id: "v", type: "upvote", actor: "42", target: answer("1", "7") });
    h.submit({ id: "d", type: "downvote", actor: "43", target: answer("1", "7") });
    expect(h.total("7")).toBe(8);
    h.submit({ id: "r", type: "revert", actor: "42", reverts: "v" });
    expect(h.total("7")).toBe(-2);
  });

  it("self: once gives the author amount a single time; ignore gives nothing", () => {
    const h = new LedgerHarness({
      actionTypes: [],
      rules: [
        { id: "both", action: "both", actor: 1, author: 4, self: "once" },
        { id: "actor-only", action: "solo", actor: 2, self: "once" },
        { id: "ignored", action: "meh", actor: 1, author: 4, self: "ignore" },
      ],
    });
    h.submit({ id: "1", type: "both", actor: "u", target: { type: "t", id: "1", author: "u" } });
    expect(h.total("u")).toBe(4);
    h.submit({ id: "2", type: "solo", actor: "u", target: { type: "t", id: "1", author: "u" } });
    expect(h.total("u")).toBe(6);
    h.submit({ id: "3", type: "meh", actor: "u", target: { type: "t", id: "1", author: "u" } });
    expect(h.total("u")).toBe(6);
  });
});

describe("decide: withheld points say why", () => {
  const question = { type: "question", id: "1", author: "7" };

  it("a second vote on the same target names the action that holds the award, and a replay says the same", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7") });
    const again = h.submit({ id: "v2", type: "upvote", actor: "42", target: answer("9", "7"), topic: "ipa" });
    expect(again.entries).toEqual([]);
    expect(again.withheld).toEqual([
      { rule: "qa.upvote", user: "42", role: "actor", points: 2, why: "once", holder: "v1", reason: "upvote (answer 9) in ipa: already given by v1 (once per actor and target)" },
      { rule: "qa.upvote", user: "7", role: "author", points: 10, why: "once", holder: "v1", reason: "upvote (answer 9) by 42 in ipa: already given by v1 (once per actor and target)" },
    ]);
    expect(h.submit({ id: "v2", type: "upvote", actor: "42", target: answer("9", "7"), topic: "ipa" })).toEqual({ ...again, replay: true });
  });

  it("a vote on one's own post, a full daily cap, the floor and a missing topic each say so", () => {
    const qa = new LedgerHarness({ ...qaPreset, floor: 0 });
    expect(qa.submit({ id: "self", type: "upvote", actor: "7", target: question }).withheld).toEqual([
      { rule: "qa.upvote", user: "7", role: "self", points: 10, why: "self", holder: null, reason: "upvote (question 1): not given when the actor is the author" },
    ]);
    for (let i = 0; i < 20; i++) qa.submit({ id: `v${i}`, type: "upvote", actor: `w${i}`, target: answer(`${i}`, "7") });
    const capped = qa.submit({ id: "v20", type: "upvote", actor: "w20", target: answer("20", "7") });
    expect(capped.entries.map((e) => [e.user, e.delta])).toEqual([["w20", 2]]);
    expect(capped.withheld.map((w) => [w.user, w.points, w.why, w.reason])).toEqual([
      ["7", 10, "cap", `upvote (answer 20) by w20 (daily cap "votes" already reached on 2026-11-20: 10 asked)`],
    ]);
    const down = qa.submit({ id: "d", type: "downvote", actor: "8", target: question });
    expect(down.withheld.map((w) => [w.user, w.points, w.why, w.reason])).toEqual([["8", -1, "floor", "downvote (question 1) (floor 0 reached: -1 asked)"]]);

    const interests = new LedgerHarness(interestsPreset);
    expect(interests.submit({ id: "s", type: "select_interest", actor: "u" }).withheld.map((w) => [w.rule, w.user, w.why, w.reason])).toEqual([
      ["interests.select", "u", "topic", "interest selected: the rule needs a topic, and the action names none"],
    ]);
  });

  it("a rule that needs a topic gives nothing to an action naming only global, and its deletion takes nothing back", () => {
    const interests = new LedgerHarness(interestsPreset);
    const global = interests.submit({ id: "s", type: "select_interest", actor: "u", topic: "global" });
    expect(global.entries).toEqual([]);
    expect(global.withheld.map((w) => [w.user, w.why])).toEqual([["u", "topic"]]);
    expect(interests.total("u")).toBe(0);

    const h = new LedgerHarness({
      actionTypes: ["upvote", "delete"],
      rules: [
        { id: "up", action: "upvote", author: 1 },
        { id: "del", action: "delete", author: -5, requiresTopic: true, revertsOnTarget: ["upvote"] },
      ],
      topics: { tree: [{ id: "t" }] },
    });
    h.submit({ id: "v", type: "upvote", actor: "42", target: answer("9", "7") });
    const deleted = h.submit({ id: "d", type: "delete", actor: "7", target: answer("9", "7") });
    expect(deleted.entries).toEqual([]);
    expect(deleted.withheld.map((w) => [w.user, w.points, w.why])).toEqual([["7", -5, "topic"]]);
    expect(h.total("7")).toBe(1);
    // With a topic the same deletion applies and takes the vote back.
    h.submit({ id: "v2", type: "upvote", actor: "42", target: answer("10", "7"), topic: "t" });
    h.submit({ id: "d2", type: "delete", actor: "7", target: answer("10", "7"), topic: "t" });
    expect(h.total("7", "t")).toBe(-5);
  });

  it("an action whose rules gave everything it asked withholds nothing, and a partly capped award is an entry, not withheld", () => {
    const h = new LedgerHarness(qaPreset);
    expect(h.submit({ id: "v", type: "upvote", actor: "42", target: answer("9", "7") }).withheld).toEqual([]);
    expect(h.submit({ id: "view", type: "view", actor: "42", target: answer("9", "7") }).withheld).toEqual([]);
  });
});

describe("decide: publication", () => {
  it("puts today's points in pending and publishes them after the boundary", () => {
    const h = new LedgerHarness({ ...qaPreset, publication: { schedule: "daily", at: "00:00" } });
    h.submit({ id: "v1", type: "upvote", actor: "42", target: answer("9", "7"), at: "2026-11-19T12:00:00Z" });
    h.submit({ id: "v2", type: "upvote", actor: "43", target: answer("9", "7"), at: "2026-11-20T09:00:00Z" });
    expect([h.points("7"), h.pending("7")]).toEqual([10, 10]);
  });
});
