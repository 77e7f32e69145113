import { describe, expect, it } from "vitest";
import { LedgerHarness } from "../../testing/ledger-harness.js";
import { qaPreset } from "./qa.js";

const q = (id: string, author: string) => ({ type: "question", id, author });
const a = (id: string, author: string) => ({ type: "answer", id, author });

/** 7 posts answer 9 ("p"), 42 upvotes it ("v1"), 7 deletes it ("d"). */
function upvotedThenDeleted(): LedgerHarness {
  const h = new LedgerHarness(qaPreset);
  h.submit({ id: "p", type: "post", actor: "7", target: a("9", "7") });
  h.submit({ id: "v1", type: "upvote", actor: "42", target: a("9", "7") });
  h.submit({ id: "d", type: "delete", actor: "7", target: a("9", "7") });
  return h;
}

describe("qa preset", () => {
  it("posting a question gives its author +5 once, not +10 and not 0", () => {
    const h = new LedgerHarness(qaPreset);
    const r = h.submit({ id: "p1", type: "post", actor: "7", target: q("1", "7") });
    expect(h.total("7")).toBe(5);
    expect(r.entries).toEqual([expect.objectContaining({ user: "7", delta: 5, role: "self", rule: "qa.post.question" })]);
  });

  it("posting an answer gives +10", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "p1", type: "post", actor: "7", target: a("1", "7") });
    expect(h.total("7")).toBe(10);
  });

  it("an upvote gives the voter +2 and the author +10", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "v1", type: "upvote", actor: "42", target: a("9", "7") });
    expect(h.total("42")).toBe(2);
    expect(h.total("7")).toBe(10);
  });

  it("a downvote costs the voter 1 and the author 2", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "v1", type: "downvote", actor: "42", target: a("9", "7") });
    expect(h.total("42")).toBe(-1);
    expect(h.total("7")).toBe(-2);
  });

  it("deleting a question costs its author 5, an answer 10", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "d1", type: "delete", actor: "7", target: q("1", "7") });
    expect(h.total("7")).toBe(-5);
    h.submit({ id: "d2", type: "delete", actor: "mod", target: a("2", "7") });
    expect(h.total("7")).toBe(-15);
    expect(h.total("mod")).toBe(0);
  });

  it("voting on your own post earns nothing", () => {
    const h = new LedgerHarness(qaPreset);
    const up = h.submit({ id: "v1", type: "upvote", actor: "7", target: a("9", "7") });
    const down = h.submit({ id: "v2", type: "downvote", actor: "7", target: a("9", "7") });
    expect(up.entries).toEqual([]);
    expect(down.entries).toEqual([]);
    expect(h.total("7")).toBe(0);
  });

  it("view, edit, bookmark and search are logged with no points", () => {
    const h = new LedgerHarness(qaPreset);
    for (const type of ["view", "edit", "bookmark", "search"]) {
      const r = h.submit({ id: type, type, actor: "42", target: q("1", "7") });
      expect(r.entries).toEqual([]);
      expect(h.state.action(type)?.action.type).toBe(type);
    }
  });

  it("caps upvote points at 200 a day per user and records what was applied", () => {
    const h = new LedgerHarness(qaPreset);
    for (let i = 0; i < 21; i++) h.submit({ id: `v${i}`, type: "upvote", actor: `voter${i}`, target: a(`${i}`, "7") });
    expect(h.total("7")).toBe(200);
    const capped = h.submit({ id: "v21", type: "upvote", actor: "voter21", target: a("21", "7") });
    expect(capped.entries.filter((e) => e.user === "7")).toEqual([]);
    expect(h.total("7")).toBe(200);
    // The next UTC day starts a new allowance.
    h.now += 86_400_000;
    h.submit({ id: "v22", type: "upvote", actor: "voter22", target: a("22", "7") });
    expect(h.total("7")).toBe(210);
  });

  it("a vote that crosses the cap applies the remainder and records what was asked", () => {
    const h = new LedgerHarness(qaPreset);
    // 7's own votes count toward 7's cap too: 3 × +2 = 6.
    for (let i = 0; i < 3; i++) h.submit({ id: `mine${i}`, type: "upvote", actor: "7", target: a(`x${i}`, `other${i}`) });
    for (let i = 0; i < 19; i++) h.submit({ id: `v${i}`, type: "upvote", actor: `voter${i}`, target: a(`${i}`, "7") });
    expect(h.total("7")).toBe(196);
    const r = h.submit({ id: "v19", type: "upvote", actor: "voter19", target: a("19", "7") });
    expect(r.entries.find((e) => e.user === "7" && e.kind === "rule")).toMatchObject({ delta: 4, requested: 10 });
    expect(r.entries.find((e) => e.user === "7" && e.kind === "rule")?.reason).toContain('daily cap "votes" reached');
    expect(h.total("7")).toBe(200);
    // Adjustments are not capped.
    h.submit({ id: "bounty", type: "adjust", actor: "admin", target: { type: "user", id: "7" }, data: { points: 50, reason: "bounty" } });
    expect(h.total("7")).toBe(250);
  });

  it("one standing vote per voter per post: a second upvote with another id earns nothing", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "v1", type: "upvote", actor: "42", target: a("9", "7") });
    const again = h.submit({ id: "v1-again", type: "upvote", actor: "42", target: a("9", "7") });
    expect(again.entries).toEqual([]);
    expect(h.total("7")).toBe(10);
    // Retracting the vote frees it: voting again counts.
    h.submit({ id: "r1", type: "revert", actor: "42", reverts: "v1" });
    expect(h.total("7")).toBe(0);
    h.submit({ id: "v1-third", type: "upvote", actor: "42", target: a("9", "7") });
    expect(h.total("7")).toBe(10);
  });

  it("one standing vote either way: a downvote over a standing upvote earns nothing until the upvote is reverted", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "up", type: "upvote", actor: "42", target: a("9", "7") });
    const down = h.submit({ id: "down", type: "downvote", actor: "42", target: a("9", "7") });
    expect(down.entries).toEqual([]);
    expect(down.withheld.map((w) => [w.user, w.points, w.why, w.holder])).toEqual([
      ["42", -1, "once", "up"],
      ["7", -2, "once", "up"],
    ]);
    expect([h.total("7"), h.total("42")]).toEqual([10, 2]);
    // Changing the vote: retract the upvote, then the downvote counts.
    h.submit({ id: "r", type: "revert", actor: "42", reverts: "up" });
    h.submit({ id: "down2", type: "downvote", actor: "42", target: a("9", "7") });
    expect([h.total("7"), h.total("42")]).toEqual([-2, -1]);
    // Another voter's votes are their own.
    h.submit({ id: "up43", type: "upvote", actor: "43", target: a("9", "7") });
    expect(h.total("7")).toBe(8);
  });

  it("deleting a post takes back what its votes gave, and undeleting restores it", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "p", type: "post", actor: "7", target: a("9", "7") });
    h.submit({ id: "v1", type: "upvote", actor: "42", target: a("9", "7") });
    h.submit({ id: "v2", type: "downvote", actor: "43", target: a("9", "7") });
    expect([h.total("7"), h.total("42"), h.total("43")]).toEqual([18, 2, -1]);
    h.submit({ id: "d", type: "delete", actor: "7", target: a("9", "7") });
    // The post's own +10 and the delete's −10 net to 0; the votes are taken back.
    expect([h.total("7"), h.total("42"), h.total("43")]).toEqual([0, 0, 0]);
    expect(h.state.action("v1")?.revertedBy).toBe("d");
    h.submit({ id: "undelete", type: "revert", actor: "mod", reverts: "d" });
    expect([h.total("7"), h.total("42"), h.total("43")]).toEqual([18, 2, -1]);
    expect(h.state.action("v1")?.revertedBy).toBeNull();
  });

  it("undeleting keeps one standing vote per voter: a vote cast while the post was deleted stands, the old one stays taken back", () => {
    const h = upvotedThenDeleted();
    h.submit({ id: "v2", type: "downvote", actor: "42", target: a("9", "7") });
    expect([h.total("7"), h.total("42")]).toEqual([-2, -1]);
    const undelete = h.submit({ id: "undelete", type: "revert", actor: "mod", reverts: "d" });
    // The post's +10 is back and 42's downvote stands; the upvote does not come back.
    expect([h.total("7"), h.total("42")]).toEqual([8, -1]);
    expect(h.state.action("v1")?.revertedBy).toBe("undelete");
    expect(h.state.action("v2")?.revertedBy).toBeNull();
    // Every entry of the undelete negates one: the deletion's, then the upvote's again.
    expect(undelete.entries.every((e) => e.kind === "revert")).toBe(true);
    expect(undelete.entries.reduce((sum, e) => sum + e.delta, 0)).toBe(22 - 12);
  });

  it("a vote retracted while its post was deleted stays retracted when the post is undeleted", () => {
    const h = upvotedThenDeleted();
    const peak = (u: string) => h.state.snapshot(u, "global")?.peak;
    h.submit({ id: "bonus", type: "adjust", actor: "admin", target: { type: "user", id: "7" }, data: { points: 20, reason: "r" } });
    expect([h.total("7"), peak("7")]).toEqual([20, 20]);
    const retract = h.submit({ id: "r", type: "revert", actor: "42", reverts: "v1" });
    // The retraction takes the vote over from the deletion: nobody's total moves, and no peak.
    expect(retract.changes.map((c) => c.after.points - c.before.points)).toEqual([0, 0]);
    expect(retract.entries.map((e) => [e.user, e.delta, e.reason])).toEqual([
      ["42", -2, "revert of v1"],
      ["7", -10, "revert of v1"],
      ["42", 2, "revert of v1: negates an entry of d"],
      ["7", 10, "revert of v1: negates an entry of d"],
    ]);
    expect([h.total("7"), h.total("42"), peak("7")]).toEqual([20, 0, 20]);
    expect(h.state.action("v1")?.revertedBy).toBe("r");
    const undelete = h.submit({ id: "undelete", type: "revert", actor: "mod", reverts: "d" });
    expect(undelete.entries.map((e) => e.reason)).toContain("revert of d: negates an entry of v1");
    // The deletion's −10 is undone; the retracted vote does not come back.
    expect([h.total("7"), h.total("42"), peak("7")]).toEqual([30, 0, 30]);
    expect(h.state.action("v1")?.revertedBy).toBe("r");
    // Its once-award is free: the voter can vote again, once.
    h.submit({ id: "v2", type: "upvote", actor: "42", target: a("9", "7") });
    h.submit({ id: "v3", type: "upvote", actor: "42", target: a("9", "7") });
    expect([h.total("7"), h.total("42")]).toEqual([40, 2]);
  });

  it("undeleting never lifts a peak above the total it ends at", () => {
    const h = upvotedThenDeleted();
    h.submit({ id: "v2", type: "upvote", actor: "42", target: a("9", "7") });
    h.submit({ id: "bonus", type: "adjust", actor: "admin", target: { type: "user", id: "7" }, data: { points: 10, reason: "r" } });
    expect(h.total("7")).toBe(20);
    h.submit({ id: "undelete", type: "revert", actor: "mod", reverts: "d" });
    expect([h.total("7"), h.state.snapshot("7", "global")?.peak]).toEqual([30, 30]);
  });

  it("keeps one global total beside each tag", () => {
    const h = new LedgerHarness(qaPreset);
    h.submit({ id: "v1", type: "upvote", actor: "42", target: a("9", "7"), topic: "typescript" });
    h.submit({ id: "v2", type: "upvote", actor: "43", target: a("10", "7"), topic: "node" });
    expect(h.total("7", "typescript")).toBe(10);
    expect(h.total("7", "node")).toBe(10);
    expect(h.total("7", "global")).toBe(20);
  });
});
