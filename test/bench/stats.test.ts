import { describe, expect, it } from "vitest";
import { compare } from "../../bench/harness/stats.js";

// bench/results.json is what a reader of the benchmark quotes: its figures must be the medians it says they are.
describe("a benchmark comparison", () => {
  it("gives medians of the rates, the median of each repetition's ratio, and whether it meets the bar", () => {
    const c = compare("x", "ops/s", [{ engine: 50, baseline: 100 }, { engine: 90, baseline: 100 }, { engine: 60, baseline: 200 }], 0.4, "n");
    expect([c.engine, c.baseline, c.ratio, c.target, c.met, c.repetitions]).toEqual([60, 100, 0.5, ">= 0.4", true, 3]);
    expect(compare("y", "ops/s", [{ engine: 1, baseline: 4 }], null, "n")).toMatchObject({ ratio: 0.25, target: "none", met: null });
  });

  it("reports the answer times of both sides as each percentile's median, only where they were measured", () => {
    const c = compare(
      "http",
      "requests/s",
      [
        { engine: 10, baseline: 40, engineLatencyMs: { p50: 5, p99: 14 }, baselineLatencyMs: { p50: 1, p99: 4 } },
        { engine: 11, baseline: 41, engineLatencyMs: { p50: 7, p99: 30 }, baselineLatencyMs: { p50: 1, p99: 3 } },
        { engine: 12, baseline: 42, engineLatencyMs: { p50: 6, p99: 12 }, baselineLatencyMs: { p50: 2, p99: 9 } },
      ],
      0.4,
      "n",
    );
    expect([c.engineLatencyMs, c.baselineLatencyMs]).toEqual([{ p50: 6, p99: 14 }, { p50: 1, p99: 4 }]);
    const ingest = compare("ingest", "actions/s", [{ engine: 1, baseline: 2 }], 0.5, "n");
    expect("engineLatencyMs" in ingest || "baselineLatencyMs" in ingest).toBe(false);
  });
});
