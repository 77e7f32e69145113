/** One comparison of `bench/results.json`. */
export interface Comparison {
  name: string;
  /** The engine's figure: the median over repetitions. */
  engine: number;
  /** The baseline's figure, measured in the same run, interleaved with the engine's. */
  baseline: number;
  unit: string;
  /** engine / baseline (both rates: higher is better for the engine). */
  ratio: number;
  /** The bar from the issue, e.g. ">= 0.5"; "none" where the issue sets none. */
  target: string;
  /** Whether the ratio meets the target; null where the issue sets none. */
  met: boolean | null;
  repetitions: number;
  /** What was measured, in words. */
  note: string;
  /**
   * Peak RSS in MB of a process that ran only the engine's side: the service under
   * load (HTTP), or the ingest workload on the engine alone. Absent where only the
   * suite's process was measured (see `suites[].peakRssMb`), which also holds the
   * baseline and the harness.
   */
  engineRssMb?: number;
  /** Latency of the engine's answers under the load (HTTP): medians over repetitions of each run's percentiles. */
  engineLatencyMs?: Latency;
  /** The same for the baseline's answers. */
  baselineLatencyMs?: Latency;
}

/** Percentiles of one load's answer times, in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Builds a comparison from per-repetition rates of engine and baseline; the ratio is the median of per-repetition ratios. */
export function compare(name: string, unit: string, pairs: readonly Pair[], minRatio: number | null, note: string): Comparison {
  const ratio = median(pairs.map((p) => p.engine / p.baseline));
  const rss = pairs.flatMap((p) => (p.engineRssMb === undefined ? [] : [p.engineRssMb]));
  const engineLatency = medianLatency(pairs.map((p) => p.engineLatencyMs));
  const baselineLatency = medianLatency(pairs.map((p) => p.baselineLatencyMs));
  return {
    name,
    engine: round(median(pairs.map((p) => p.engine))),
    baseline: round(median(pairs.map((p) => p.baseline))),
    unit,
    ratio: round(ratio, 3),
    target: minRatio === null ? "none" : `>= ${minRatio}`,
    met: minRatio === null ? null : ratio >= minRatio,
    repetitions: pairs.length,
    note,
    ...(rss.length === 0 ? {} : { engineRssMb: Math.round(median(rss)) }),
    ...(engineLatency === undefined ? {} : { engineLatencyMs: engineLatency }),
    ...(baselineLatency === undefined ? {} : { baselineLatencyMs: baselineLatency }),
  };
}

/** Each percentile's median over the repetitions that measured latency; undefined where none did. */
function medianLatency(runs: ReadonlyArray<Latency | undefined>): Latency | undefined {
  const known = runs.filter((l): l is Latency => l !== undefined);
  if (known.length === 0) return undefined;
  return { p50: round(median(known.map((l) => l.p50)), 2), p99: round(median(known.map((l) => l.p99)), 2) };
}

/** One repetition: engine and baseline rates (operations per second). */
export interface Pair {
  engine: number;
  baseline: number;
  /** Peak RSS of the engine's own process in this repetition, where it runs apart (MB); undefined where unknown. */
  engineRssMb?: number | undefined;
  /** Answer-time percentiles of the engine's load in this repetition (HTTP). */
  engineLatencyMs?: Latency | undefined;
  /** Answer-time percentiles of the baseline's load in this repetition (HTTP). */
  baselineLatencyMs?: Latency | undefined;
}

/**
 * Measures engine and baseline in alternating chunks — engine chunk 0, baseline
 * chunk 0, engine chunk 1, … — so both run under the same load on a shared, noisy
 * machine, and returns their rates over all chunks. `ops` operations per chunk.
 */
export async function interleaved(chunks: number, ops: number, engine: (chunk: number) => unknown, baseline: (chunk: number) => unknown): Promise<Pair> {
  let te = 0;
  let tb = 0;
  for (let c = 0; c < chunks; c++) {
    let t = performance.now();
    await engine(c);
    te += performance.now() - t;
    t = performance.now();
    await baseline(c);
    tb += performance.now() - t;
  }
  return { engine: (chunks * ops) / (te / 1000), baseline: (chunks * ops) / (tb / 1000) };
}
