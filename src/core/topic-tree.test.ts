import { describe, expect, it } from "vitest";
import { TopicTree } from "./topic-tree.js";

describe("TopicTree.planAll", () => {
  const tree = TopicTree.from([{ id: "drinks", parent: "global", depth: 1 }]);

  it("plans children under parents planned earlier in the same call, each topic once", () => {
    expect(
      tree.planAll([
        { id: "beer", parent: "drinks" },
        { id: "ipa", parent: "beer" },
        { id: "beer", parent: "drinks" },
        { id: "drinks" },
      ]),
    ).toEqual([
      { id: "beer", parent: "drinks", depth: 2 },
      { id: "ipa", parent: "beer", depth: 3 },
    ]);
  });

  it("adds nothing to the tree itself", () => {
    tree.planAll([{ id: "wine", parent: "drinks" }]);
    expect(tree.has("wine")).toBe(false);
  });

  it("throws for a parent that is neither in the tree nor planned before, and for a topic under another parent", () => {
    expect(() => tree.planAll([{ id: "ipa", parent: "beer" }, { id: "beer", parent: "drinks" }])).toThrow(/parent topic "beer" does not exist/);
    expect(() => tree.planAll([{ id: "beer" }, { id: "beer", parent: "drinks" }])).toThrow(/topic "beer" exists under "global", not "drinks"/);
  });
});
