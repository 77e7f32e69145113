import { z } from "zod";

/**
 * When earned points become visible (docs/concepts.md, "Publication"): `immediate`, or
 * `daily` at a UTC time of day. Points earned since the latest boundary are
 * `pending`.
 */
export const publicationSchema = z.discriminatedUnion("schedule", [
  z.strictObject({ schedule: z.literal("immediate") }),
  z.strictObject({
    schedule: z.literal("daily"),
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour UTC")
      .default("00:00"),
  }),
]);

/** A publication schedule as configured. */
export type PublicationConfig = z.output<typeof publicationSchema>;

const DAY_MS = 86_400_000;

/** The published / pending split of one snapshot. */
export interface Split {
  points: number;
  pending: number;
  /** The publication period of the newest entry. */
  period: number;
}

/**
 * A publication schedule as arithmetic on times. A period is the span between two
 * boundaries; entries dated before the boundary that starts a snapshot's period
 * are published, the rest pending. Everything depends on entry times only.
 */
export class Publication {
  readonly immediate: boolean;
  /** The schedule in one string ("immediate", "daily 06:00"): a store keeps the one its snapshots are split under. */
  readonly key: string;
  private readonly offsetMs: number;

  constructor(config: PublicationConfig) {
    this.immediate = config.schedule === "immediate";
    this.key = config.schedule === "daily" ? `daily ${config.at}` : "immediate";
    if (config.schedule === "daily") {
      const [h, m] = config.at.split(":").map(Number) as [number, number];
      this.offsetMs = (h * 60 + m) * 60_000;
    } else {
      this.offsetMs = 0;
    }
  }

  /** The period a time falls in (always 0 when immediate). */
  period(at: number): number {
    return this.immediate ? 0 : Math.floor((at - this.offsetMs) / DAY_MS);
  }

  /** The time a period starts: entries before it are published in that period. */
  boundary(period: number): number {
    return period * DAY_MS + this.offsetMs;
  }

  /**
   * Adds an entry of `delta` dated `at` to a split. `split.period` is the period of
   * the newest entry (a pure function of the ledger); the split is as of the later
   * of that and `watermark`, the period the store has published through.
   */
  add(split: Split, delta: number, at: number, watermark: number): Split {
    if (this.immediate) return { points: split.points + split.pending + delta, pending: 0, period: 0 };
    let { points, pending } = split;
    const current = Math.max(split.period, watermark);
    if (current > split.period) {
      // Published by the store already; kept here so a split is right on its own.
      points += pending;
      pending = 0;
    }
    const p = this.period(at);
    if (p > current) {
      points += pending;
      pending = delta;
    } else if (p < current) {
      points += delta;
    } else {
      pending += delta;
    }
    return { points, pending, period: Math.max(split.period, p) };
  }

  /** The split as a reader sees it at `now`: pending from an earlier period is published. */
  view(split: Split, now: number): { points: number; pending: number } {
    if (this.immediate || this.period(now) <= split.period) return { points: split.points, pending: split.pending };
    return { points: split.points + split.pending, pending: 0 };
  }
}
