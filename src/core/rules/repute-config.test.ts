import { describe, expect, it } from "vitest";
import { ReputeError } from "../errors.js";
import { presets } from "./presets/index.js";
import { parseConfig } from "./repute-config.js";

function pathsOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (e) {
    if (e instanceof ReputeError && e.code === "CONFIG_INVALID") return (e.details?.issues as Array<{ path: string }>).map((i) => i.path);
    throw e;
  }
  return [];
}

describe("configuration", () => {
  it("both presets validate", () => {
    for (const preset of Object.values(presets)) expect(pathsOf(preset)).toEqual([]);
  });

  it("fills defaults: no rules, immediate publication, a global total, one level", () => {
    const c = parseConfig({});
    expect(c.rules).toEqual([]);
    expect(c.publication).toEqual({ schedule: "immediate" });
    expect(c.topics).toEqual({ global: true, rollup: [1], autoCreate: false, tree: [] });
    expect(c.levels.default).toEqual([{ name: "Member", min: 0 }]);
  });

  it("names the path of every mistake", () => {
    expect(pathsOf({ rules: [{ id: "a", action: "x", cap: "missing" }] })).toEqual(["rules[0].cap"]);
    expect(pathsOf({ rules: [{ id: "a", action: "x" }, { id: "a", action: "y" }] })).toEqual(["rules[1].id"]);
    expect(pathsOf({ rules: [{ id: "a", action: "x", actor: 1.5 }] })).toEqual(["rules[0].actor"]);
    expect(pathsOf({ topics: { rollup: [0.5] } })).toEqual(["topics.rollup"]);
    expect(pathsOf({ publication: { schedule: "daily", at: "25:00" } })).toEqual(["publication.at"]);
    expect(pathsOf({ actionTypes: ["revert"] })).toEqual(["actionTypes"]);
    expect(pathsOf({ rules: [{ id: "a", action: "x", revertsOnTarget: ["nope"] }] })).toEqual(["rules[0].revertsOnTarget"]);
    expect(pathsOf({ rulez: [] })).toEqual(["(root)"]);
    // A once group needs once, the same in all its rules, and is not a rule's id.
    expect(pathsOf({ rules: [{ id: "a", action: "x", onceGroup: "g" }] })).toEqual(["rules[0].onceGroup"]);
    expect(pathsOf({ rules: [{ id: "a", action: "x", once: "target", onceGroup: "b" }, { id: "b", action: "y", once: "target" }] })).toEqual(["rules[0].onceGroup"]);
    expect(
      pathsOf({ rules: [{ id: "a", action: "x", once: "target", onceGroup: "g" }, { id: "b", action: "y", once: "topic", onceGroup: "g" }] }),
    ).toEqual(["rules[0].onceGroup", "rules[1].onceGroup"]);
    expect(pathsOf({ rules: [{ id: "a", action: "x", once: "target", onceGroup: "g" }, { id: "b", action: "y", once: "target", onceGroup: "g" }] })).toEqual([]);
  });

  it("names every failing path in one go, the checks across fields included", () => {
    const config = { rules: [{ id: "a", action: "a", cap: "nope" }, null, { id: "a", action: "b", self: "x" }], topics: { rollup: [2] } };
    expect(pathsOf(config)).toEqual(["rules[1]", "rules[2].self", "topics.rollup[0]", "topics.rollup", "rules[0].cap", "rules[2].id"]);
  });

  it("takes type names as actions give them: printable, and a rule may target users whatever targetTypes says", () => {
    for (const bad of [{ actionTypes: ["vi\u0001ew"] }, { rules: [{ id: "a", action: "up\u0000" }] }, { caps: { "v\u007f": { limit: 1 } } }]) {
      expect(pathsOf(bad)).toHaveLength(1);
    }
    expect(pathsOf({ targetTypes: ["post"], rules: [{ id: "endorse", action: "endorse", target: "user", author: 5 }] })).toEqual([]);
    expect(pathsOf({ targetTypes: ["post"], rules: [{ id: "a", action: "a", target: "page" }] })).toEqual(["rules[0].target"]);
  });

  it("says what a rule id and a cap's limit must be", () => {
    const messageOf = (input: unknown) => {
      try {
        parseConfig(input);
      } catch (e) {
        if (e instanceof ReputeError) return e.message;
        throw e;
      }
      return "";
    };
    expect(messageOf({ rules: [{ id: ".a", action: "a" }] })).toBe("invalid config: rules[0].id: a letter or digit, then letters, digits and . _ : - only");
    expect(messageOf({ caps: { v: { limit: 0 } } })).toBe("invalid config: caps.v.limit: at least 1");
    expect(messageOf({ rules: [{ id: "a", action: "a", author: 2_000_000 }] })).toBe("invalid config: rules[0].author: at most 1000000");
  });
});
