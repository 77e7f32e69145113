import { z } from "zod";
import { nameSchema } from "./ids.js";

/** One named band of points: from `min` up to the next level's `min`. */
export const levelSchema = z.strictObject({
  name: nameSchema(64),
  min: z.number().int(),
});

/** A ladder: levels in strictly increasing `min`, names unique. */
export const ladderSchema = z
  .array(levelSchema)
  .min(1, "a ladder has at least one level")
  .superRefine((levels, ctx) => {
    const names = new Set<string>();
    levels.forEach((level, i) => {
      if (names.has(level.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate level name "${level.name}"` });
      names.add(level.name);
      const prev = levels[i - 1];
      if (prev !== undefined && level.min <= prev.min) {
        ctx.addIssue({ code: "custom", path: [i, "min"], message: "levels must have strictly increasing min" });
      }
    });
  });

/** A level as configured. */
export type Level = z.output<typeof levelSchema>;

/** Where a number of points stands on a ladder. */
export interface Standing {
  level: Level;
  next: Level | null;
  /** 0–1 through the current level towards the next, rounded down to 4 decimals; 1 at the top level. */
  progress: number;
}

/**
 * A ladder of levels. Points below the lowest `min` count as the lowest level.
 *
 * @example
 * const ladder = new Ladder([{ name: "Curious", min: 0 }, { name: "Reader", min: 10 }]);
 * ladder.standing(4) // { level: Curious, next: Reader, progress: 0.4 }
 */
export class Ladder {
  constructor(readonly levels: readonly Level[]) {}

  /** The index of the level `points` falls in. */
  indexOf(points: number): number {
    let lo = 0;
    let hi = this.levels.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.levels[mid] as Level).min <= points) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The level `points` falls in. */
  levelFor(points: number): Level {
    return this.levels[this.indexOf(points)] as Level;
  }

  /** Level, next level and progress for `points`. */
  standing(points: number): Standing {
    const i = this.indexOf(points);
    const level = this.levels[i] as Level;
    const next = this.levels[i + 1] ?? null;
    if (next === null) return { level, next, progress: 1 };
    // Rounded down to 4 decimals, in whole numbers: a level not yet reached never shows 1.
    const tenThousandths = Math.floor(((points - level.min) * 10_000) / (next.min - level.min));
    return { level, next, progress: Math.min(10_000, Math.max(0, tenThousandths)) / 10_000 };
  }

  /**
   * The points range [min, max) of the named level, for leaderboard filters; the
   * lowest level reaches down without bound, the highest up without bound.
   */
  range(name: string): { min: number | null; max: number | null } | null {
    const i = this.levels.findIndex((l) => l.name === name);
    if (i < 0) return null;
    const next = this.levels[i + 1];
    return { min: i === 0 ? null : (this.levels[i] as Level).min, max: next === undefined ? null : next.min };
  }
}
