/**
 * A small seeded generator (mulberry32) so the demo community is the same on every
 * machine for the same seed. Not for anything that needs unpredictability.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }
}

/**
 * Draws indexes 0..n-1 with Zipf-like weights 1/(i+1)^s: a few very active users,
 * a long tail of occasional ones, as in real communities.
 */
export class Skewed {
  private readonly cumulative: Float64Array;

  constructor(
    n: number,
    s: number,
    private readonly random: Random,
  ) {
    this.cumulative = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += 1 / (i + 1) ** s;
      this.cumulative[i] = sum;
    }
  }

  draw(): number {
    const c = this.cumulative;
    const x = this.random.next() * (c[c.length - 1] as number);
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((c[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
