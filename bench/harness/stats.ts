/** One comparison of `bench/results.json`. */
export interface Comparison {
  name: string;
  /** The engine's figure (median of the repetitions). */
  engine: number;
  /** The baseline's figure, measured in the same run. */
  baseline: number;
  unit: string;
  /** engine / baseline for rates (higher is better for the engine). */
  ratio: number;
  /** The bar from the issue, e.g. ">= 0.5". */
  target: string;
  /** Whether the ratio meets the target. */
  met: boolean;
  repetitions: number;
  /** What was measured, in words. */
  note: string;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Builds a comparison from per-repetition rates (ops/s) of engine and baseline. */
export function compare(
  name: string,
  unit: string,
  engine: readonly number[],
  baseline: readonly number[],
  minRatio: number,
  note: string,
): Comparison {
  const e = median(engine);
  const b = median(baseline);
  const ratio = e / b;
  return { name, engine: round(e), baseline: round(b), unit, ratio: round(ratio, 3), target: `>= ${minRatio}`, met: ratio >= minRatio, repetitions: engine.length, note };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Runs `fn` and returns ops/s for `ops` operations. */
export async function rate(ops: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return ops / ((performance.now() - t) / 1000);
}
