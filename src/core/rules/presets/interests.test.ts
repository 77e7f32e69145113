import { describe, expect, it } from "vitest";
import { LedgerHarness } from "../../testing/ledger-harness.js";
import { interestsPreset } from "./interests.js";

const tree = [
  { id: "drinks" },
  { id: "beer", parent: "drinks" },
  { id: "ipa", parent: "beer" },
  { id: "wine", parent: "drinks" },
];
const harness = () => new LedgerHarness({ ...interestsPreset, topics: { ...interestsPreset.topics, tree } });
const post = (id: string, author: string) => ({ type: "post", id, author });

describe("interests preset", () => {
  it("selecting an interest gives +5, once per (user, interest)", () => {
    const h = harness();
    h.submit({ id: "s1", type: "select_interest", actor: "u", topic: "wine" });
    const again = h.submit({ id: "s2", type: "select_interest", actor: "u", topic: "wine" });
    expect(again.entries).toEqual([]);
    h.submit({ id: "s3", type: "select_interest", actor: "u", topic: "beer" });
    h.submit({ id: "s4", type: "select_interest", actor: "v", topic: "wine" });
    expect(h.total("u", "wine")).toBe(5);
    expect(h.total("u", "beer")).toBe(5);
    expect(h.total("v", "wine")).toBe(5);
  });

  it("deselecting (reverting) frees the interest award, so selecting again counts", () => {
    const h = harness();
    h.submit({ id: "s1", type: "select_interest", actor: "u", topic: "wine" });
    h.submit({ id: "r1", type: "revert", actor: "u", reverts: "s1" });
    expect(h.total("u", "wine")).toBe(0);
    h.submit({ id: "s2", type: "select_interest", actor: "u", topic: "wine" });
    expect(h.total("u", "wine")).toBe(5);
  });

  it("a consumed invite gives the inviter +3 in the interest the action names", () => {
    const h = harness();
    const r = h.submit({ id: "i1", type: "consume_invite", actor: "newbie", target: { type: "invite", id: "code1", author: "inviter" }, topic: "wine" });
    expect(h.total("inviter", "wine")).toBe(3);
    expect(h.total("newbie", "wine")).toBe(0);
    expect(r.entries.map((e) => e.user)).toEqual(["inviter", "inviter"]);
  });

  it("an invite without an interest says why it gave nothing; one without its inviter is refused, interest or not", () => {
    const h = harness();
    const invite = (id: string, actor: string, author: string | undefined, topic?: string) =>
      h.submit({ id, type: "consume_invite", actor, target: { type: "invite", id: "code1", ...(author === undefined ? {} : { author }) }, ...(topic === undefined ? {} : { topic }) });
    expect(invite("i1", "newbie", "inviter").withheld.map((w) => [w.user, w.points, w.why])).toEqual([["inviter", 3, "topic"]]);
    // Inviting oneself gives nothing with an interest too: that is the reason given.
    expect(invite("i2", "inviter", "inviter").withheld.map((w) => [w.user, w.points, w.why])).toEqual([["inviter", 3, "self"]]);
    const code = (topic?: string) => {
      try {
        invite(`bad-${topic ?? "none"}`, "newbie", undefined, topic);
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return "applied";
    };
    expect([code("wine"), code()]).toEqual(["ACTION_INVALID", "ACTION_INVALID"]);
  });

  it("a post gives its author +3", () => {
    const h = harness();
    h.submit({ id: "p1", type: "post", actor: "a", target: post("1", "a"), topic: "wine" });
    expect(h.total("a", "wine")).toBe(3);
  });

  it("a reply gives the replier +2, only when the post has an interest", () => {
    const h = harness();
    h.submit({ id: "r1", type: "reply", actor: "b", target: post("1", "a"), topic: "wine" });
    const none = h.submit({ id: "r2", type: "reply", actor: "b", target: post("2", "a") });
    expect(h.total("b", "wine")).toBe(2);
    expect(none.entries).toEqual([]);
    expect(h.total("a", "wine")).toBe(0);
  });

  it("the first reaction, bookmark and repost of a post by each other user give its author +1", () => {
    const h = harness();
    for (const type of ["react", "bookmark", "repost"]) {
      h.submit({ id: `${type}-b1`, type, actor: "b", target: post("1", "a"), topic: "wine" });
      h.submit({ id: `${type}-b2`, type, actor: "b", target: post("1", "a"), topic: "wine" });
      h.submit({ id: `${type}-c`, type, actor: "c", target: post("1", "a"), topic: "wine" });
      h.submit({ id: `${type}-self`, type, actor: "a", target: post("1", "a"), topic: "wine" });
    }
    // b and c, once each, for each of the three kinds; the author's own count for nothing.
    expect(h.total("a", "wine")).toBe(6);
  });

  it("rolls up 1.0 / 0.5 / 0.25: +10 in a third-level topic gives +5 to its parent and +2 to the grandparent", () => {
    const h = harness();
    const r = h.submit({ id: "adj", type: "adjust", actor: "admin", target: { type: "user", id: "u" }, topic: "ipa", data: { points: 10, reason: "test" } });
    expect(h.total("u", "ipa")).toBe(10);
    expect(h.total("u", "beer")).toBe(5);
    expect(h.total("u", "drinks")).toBe(2);
    expect(h.total("u", "global")).toBe(0);
    expect(r.entries.map((e) => [e.topic, e.delta, e.kind])).toEqual([
      ["ipa", 10, "adjust"],
      ["beer", 5, "rollup"],
      ["drinks", 2, "rollup"],
    ]);
  });

  it("a revert of a rolled-up award nets exactly zero in every topic (truncation toward zero)", () => {
    const h = harness();
    h.submit({ id: "s1", type: "select_interest", actor: "u", topic: "ipa" });
    expect([h.total("u", "ipa"), h.total("u", "beer"), h.total("u", "drinks")]).toEqual([5, 2, 1]);
    h.submit({ id: "r1", type: "revert", actor: "u", reverts: "s1" });
    expect([h.total("u", "ipa"), h.total("u", "beer"), h.total("u", "drinks")]).toEqual([0, 0, 0]);
  });

  it("keeps no global total", () => {
    const h = harness();
    h.submit({ id: "p1", type: "post", actor: "a", target: post("1", "a"), topic: "wine" });
    expect(h.state.snapshot("a", "global")).toBeFalsy();
  });

  it("reports level changes on the Curious … Lifework ladder", () => {
    const h = harness();
    const r = h.submit({ id: "s1", type: "adjust", actor: "admin", target: { type: "user", id: "u" }, topic: "wine", data: { points: 10, reason: "x" } });
    expect(r.levels).toEqual([{ user: "u", topic: "wine", from: "Curious", to: "Reader" }]);
    // drinks gets +5: still Curious, so no change is reported there.
    expect(h.total("u", "drinks")).toBe(5);
  });
});
