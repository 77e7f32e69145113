/**
 * A three-level histogram of points per topic, kept beside the snapshots so the
 * rank of a user costs a few hundred index rows instead of counting every user
 * above them. Level 0 counts users per exact points value, level 1 per 256 values,
 * level 2 per 65 536. The users above `p` are: level-0 values in p's level-1 bucket
 * above p, plus level-1 buckets in p's level-2 bucket above p's, plus level-2
 * buckets above p's.
 */
export const RANK_WIDTHS = [1, 256, 65_536] as const;

/** The bucket of `points` at each level. */
export function rankBuckets(points: number): [number, number, number] {
  return [points, Math.floor(points / RANK_WIDTHS[1]), Math.floor(points / RANK_WIDTHS[2])];
}

/**
 * The bucket ranges whose counts sum to the users above `points`: level 0 in
 * (low0, high0], level 1 in (low1, high1], level 2 above low2.
 */
export function aboveRanges(points: number): { low0: number; high0: number; low1: number; high1: number; low2: number } {
  const [b0, b1, b2] = rankBuckets(points);
  return { low0: b0, high0: b1 * 256 + 255, low1: b1, high1: b2 * 256 + 255, low2: b2 };
}

/** Accumulates histogram changes over a transaction; write the non-zero ones at commit. */
export class RankDeltas {
  private readonly deltas = new Map<string, { topic: string; level: number; bucket: number; delta: number }>();

  /** A (user, topic) went from `before` points (null: no snapshot) to `after`. */
  move(topic: string, before: number | null, after: number | null): void {
    if (before === after) return;
    const from = before === null ? null : rankBuckets(before);
    const to = after === null ? null : rankBuckets(after);
    for (let level = 0; level < 3; level++) {
      const a = from?.[level];
      const b = to?.[level];
      if (a === b) continue;
      if (a !== undefined) this.add(topic, level, a, -1);
      if (b !== undefined) this.add(topic, level, b, 1);
    }
  }

  private add(topic: string, level: number, bucket: number, delta: number): void {
    const key = `${topic}\u0000${level}\u0000${bucket}`;
    const cur = this.deltas.get(key);
    if (cur === undefined) this.deltas.set(key, { topic, level, bucket, delta });
    else cur.delta += delta;
  }

  /**
   * The accumulated non-zero changes, ordered by topic, level and bucket: concurrent
   * transactions (PostgreSQL) then update the histogram's rows in one order, so they
   * wait for each other instead of deadlocking.
   */
  changes(): Array<{ topic: string; level: number; bucket: number; delta: number }> {
    return [...this.deltas.values()]
      .filter((d) => d.delta !== 0)
      .sort((x, y) => (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : x.level - y.level || x.bucket - y.bucket));
  }
}
