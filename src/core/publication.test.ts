import { describe, expect, it } from "vitest";
import { Publication } from "./publication.js";

const t = (iso: string) => Date.parse(iso);
const daily = new Publication({ schedule: "daily", at: "00:00" });
const zero = { points: 0, pending: 0, period: 0 };

describe("Publication", () => {
  it("immediate: pending is always 0", () => {
    const p = new Publication({ schedule: "immediate" });
    const s = p.add(zero, 7, t("2026-11-20T10:00:00Z"), 0);
    expect(s).toEqual({ points: 7, pending: 0, period: 0 });
    expect(p.view(s, t("2026-11-20T10:00:01Z"))).toEqual({ points: 7, pending: 0 });
  });

  it("daily: points earned today are pending until the next 00:00 UTC", () => {
    let s = daily.add(zero, 5, t("2026-11-20T10:00:00Z"), 0);
    s = daily.add(s, 3, t("2026-11-20T23:59:59.999Z"), 0);
    expect(s).toMatchObject({ points: 0, pending: 8 });
    expect(daily.view(s, t("2026-11-20T23:59:59.999Z"))).toEqual({ points: 0, pending: 8 });
    expect(daily.view(s, t("2026-11-21T00:00:00Z"))).toEqual({ points: 8, pending: 0 });
  });

  it("daily: an entry after the boundary publishes what came before it", () => {
    let s = daily.add(zero, 5, t("2026-11-20T10:00:00Z"), 0);
    s = daily.add(s, 2, t("2026-11-21T00:00:00Z"), 0);
    expect(s).toMatchObject({ points: 5, pending: 2 });
  });

  it("daily: a late entry dated in an already published period goes straight to points", () => {
    let s = daily.add(zero, 5, t("2026-11-21T10:00:00Z"), 0);
    s = daily.add(s, 4, t("2026-11-20T12:00:00Z"), 0);
    expect(s).toMatchObject({ points: 4, pending: 5 });
  });

  it("honours the time of day of the boundary", () => {
    const sixAm = new Publication({ schedule: "daily", at: "06:00" });
    let s = sixAm.add(zero, 5, t("2026-11-20T05:59:00Z"), 0);
    s = sixAm.add(s, 1, t("2026-11-20T06:00:00Z"), 0);
    expect(s).toMatchObject({ points: 5, pending: 1 });
    expect(sixAm.boundary(sixAm.period(t("2026-11-20T12:00:00Z")))).toBe(t("2026-11-20T06:00:00Z"));
  });

  it("a snapshot is never behind the published watermark", () => {
    const s = daily.add({ points: 0, pending: 5, period: daily.period(t("2026-11-18T10:00:00Z")) }, 1, t("2026-11-19T10:00:00Z"), daily.period(t("2026-11-20T10:00:00Z")));
    expect(s).toMatchObject({ points: 6, pending: 0, period: daily.period(t("2026-11-19T10:00:00Z")) });
  });
});
