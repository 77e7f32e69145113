import { describe, expect, it } from "vitest";
import { applyCap, applyFloor, capDay } from "./caps.js";
import { share } from "./rollup.js";

describe("caps and floor", () => {
  const cap = { limit: 200, period: "day" as const };
  it("a cap passes points until the limit and nothing after", () => {
    expect(applyCap(10, 0, cap)).toBe(10);
    expect(applyCap(10, 195, cap)).toBe(5);
    expect(applyCap(10, 200, cap)).toBe(0);
    expect(applyCap(10, 250, cap)).toBe(0);
  });
  it("a cap never limits negative points", () => {
    expect(applyCap(-2, 500, cap)).toBe(-2);
  });
  it("cap periods are UTC days", () => {
    expect(capDay(Date.parse("2026-11-20T23:59:59.999Z"))).toBe(capDay(Date.parse("2026-11-20T00:00:00Z")));
    expect(capDay(Date.parse("2026-11-21T00:00:00Z"))).toBe(capDay(Date.parse("2026-11-20T00:00:00Z")) + 1);
  });
  it("a floor keeps a total from going below it", () => {
    expect(applyFloor(-5, 3, 0)).toBe(-3);
    expect(applyFloor(-5, 10, 0)).toBe(-5);
    expect(applyFloor(-5, 0, 0)).toBe(0);
    expect(applyFloor(-5, -4, 0)).toBe(0);
    expect(applyFloor(-5, 3, 1)).toBe(-2);
    expect(applyFloor(7, -4, 0)).toBe(7);
    expect(applyFloor(-5, 3, null)).toBe(-5);
  });
});

describe("rollup shares", () => {
  it("truncate toward zero, so a negation shares exactly the negation", () => {
    expect(share(10, 0.5)).toBe(5);
    expect(share(10, 0.25)).toBe(2);
    expect(share(-10, 0.25)).toBe(-2);
    expect(share(5, 0.25)).toBe(1);
    expect(share(1, 0.5)).toBe(0);
    expect(Object.is(share(-1, 0.5), 0)).toBe(true);
  });
  it("are exact for decimal ratios where floating point is not", () => {
    // 100 × 0.29 is 28.999999999999996 in binary floating point.
    expect(share(100, 0.29)).toBe(29);
    expect(share(-100, 0.29)).toBe(-29);
    expect(share(10, 0.7)).toBe(7);
  });
});
