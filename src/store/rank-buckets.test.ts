import { describe, expect, it } from "vitest";
import { RankDeltas } from "./rank-buckets.js";

describe("RankDeltas", () => {
  it("nets moves out and lists the changes in one order, whatever order they came in", () => {
    const a = new RankDeltas();
    a.move("tea", null, 300);
    a.move("beer", 10, 12);
    a.move("beer", null, -5);
    const b = new RankDeltas();
    b.move("beer", null, -5);
    b.move("tea", null, 300);
    b.move("beer", 10, 12);
    expect(a.changes()).toEqual(b.changes());
    expect(a.changes().map((c) => [c.topic, c.level, c.bucket, c.delta])).toEqual([
      ["beer", 0, -5, 1],
      ["beer", 0, 10, -1],
      ["beer", 0, 12, 1],
      ["beer", 1, -1, 1],
      ["beer", 2, -1, 1],
      ["tea", 0, 300, 1],
      ["tea", 1, 1, 1],
      ["tea", 2, 0, 1],
    ]);
  });

  it("a user who moves and moves back changes nothing", () => {
    const d = new RankDeltas();
    d.move("beer", 10, 600);
    d.move("beer", 600, 10);
    expect(d.changes()).toEqual([]);
  });
});
