import { z } from "zod";

/** A cap group: the positive points a user may earn from its rules per UTC day. */
export const capSchema = z.strictObject({
  limit: z.number().int("a whole number").min(1, "at least 1"),
  period: z.literal("day").default("day"),
});

/** A cap group as configured. */
export type Cap = z.output<typeof capSchema>;

const DAY_MS = 86_400_000;

/** The UTC day number a time falls in: the cap period key. */
export function capDay(at: number): number {
  return Math.floor(at / DAY_MS);
}

/** The ISO date of a cap day, for messages. */
export function capDayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * How much of `points` a user may still earn today. Caps limit positive points
 * only; negative points pass through. `used` is what the group already applied
 * to this user this day.
 */
export function applyCap(points: number, used: number, cap: Cap): number {
  if (points <= 0) return points;
  return Math.min(points, Math.max(0, cap.limit - used));
}

/**
 * How much of `points` a total may lose without going below `floor`. Floors limit
 * negative points only; a total already below the floor loses nothing more.
 */
export function applyFloor(points: number, total: number, floor: number | null): number {
  if (points >= 0 || floor === null) return points;
  return Math.min(0, Math.max(points, floor - total));
}
