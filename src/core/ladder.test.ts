import { describe, expect, it } from "vitest";
import { Ladder, ladderSchema } from "./ladder.js";
import { interestsPreset } from "./rules/presets/interests.js";

const ladder = new Ladder(interestsPreset.levels.default);

describe("Ladder", () => {
  it.each([
    [0, "Curious"],
    [9, "Curious"],
    [10, "Reader"],
    [29, "Reader"],
    [30, "Practitioner"],
    [49, "Practitioner"],
    [50, "Adept"],
    [69, "Adept"],
    [70, "Master"],
    [89, "Master"],
    [90, "Lifework"],
    [100_000, "Lifework"],
  ])("%i points is %s", (points, name) => {
    expect(ladder.levelFor(points).name).toBe(name);
  });

  it("counts points below the lowest level as the lowest level", () => {
    expect(ladder.levelFor(-5).name).toBe("Curious");
  });

  it("gives the next level and the progress towards it", () => {
    expect(ladder.standing(20)).toEqual({ level: { name: "Reader", min: 10 }, next: { name: "Practitioner", min: 30 }, progress: 0.5 });
    expect(ladder.standing(-5).progress).toBe(0);
    expect(ladder.standing(95)).toEqual({ level: { name: "Lifework", min: 90 }, next: null, progress: 1 });
  });

  it("rounds progress down to 4 decimals, so a level not yet reached never shows 1", () => {
    const wide = new Ladder([{ name: "Low", min: 0 }, { name: "High", min: 100_000 }]);
    expect(wide.standing(99_999).progress).toBe(0.9999);
    expect(new Ladder([{ name: "A", min: 0 }, { name: "B", min: 3 }]).standing(2).progress).toBe(0.6666);
    expect(new Ladder([{ name: "A", min: 0 }, { name: "B", min: 100 }]).standing(29).progress).toBe(0.29);
  });

  it("gives the points range of a level for leaderboard filters", () => {
    expect(ladder.range("Curious")).toEqual({ min: null, max: 10 });
    expect(ladder.range("Adept")).toEqual({ min: 50, max: 70 });
    expect(ladder.range("Lifework")).toEqual({ min: 90, max: null });
    expect(ladder.range("Nope")).toBeNull();
  });

  it("refuses ladders that are not strictly increasing or repeat a name", () => {
    expect(ladderSchema.safeParse([{ name: "a", min: 0 }, { name: "b", min: 0 }]).success).toBe(false);
    expect(ladderSchema.safeParse([{ name: "a", min: 0 }, { name: "a", min: 5 }]).success).toBe(false);
    expect(ladderSchema.safeParse([]).success).toBe(false);
  });
});
