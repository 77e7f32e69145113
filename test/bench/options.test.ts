import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { DEFAULT_RESULTS, parseBenchOptions, SUITES } from "../../bench/harness/options.js";

// What a mistyped `npm run bench -- …` does: it must stop at once with the names it knows,
// not measure for a quarter of an hour, nor run nothing and overwrite the last results
// (test/bench/runner.test.ts runs the runner itself).
describe("the benchmark's options", () => {
  const parse = (...argv: string[]) => parseBenchOptions(argv, () => {});
  const rejection = (...argv: string[]) => {
    let written = "";
    try {
      parseBenchOptions(argv, (s) => (written += s));
    } catch (e) {
      expect(e).toBeInstanceOf(CommanderError);
      return { exitCode: (e as CommanderError).exitCode, written };
    }
    throw new Error(`${argv.join(" ")} was accepted`);
  };

  it("run every suite at full size by default, and the named ones, each once and in the usual order", () => {
    expect(parse()).toEqual({ quick: false, suites: SUITES, out: DEFAULT_RESULTS });
    expect(DEFAULT_RESULTS).toBe(fileURLToPath(new URL("../../bench/results.json", import.meta.url)));
    expect(parse("--quick", "--only", "real-activity,http", "--out", "runs/a.json")).toEqual({ quick: true, suites: ["http", "real-activity"], out: resolve("runs/a.json") });
    expect(parse("--only", "http", "--only", "sqlite-ingest,http").suites).toEqual(["sqlite-ingest", "http"]);
  });

  it("refuse a suite that does not exist, naming it and the suites there are", () => {
    const r = rejection("--only", "http,ledger-read");
    expect(r.exitCode).toBe(1);
    expect(r.written).toContain(`"ledger-read" is not a suite; the suites are sqlite-ingest, ledger-reads, http, postgres-ingest, real-activity.`);
    expect(rejection("--only", "http,").written).toContain(`"" is not a suite`);
    expect(rejection("--only", "a,b").written).toContain(`"a", "b" are not suites`);
  });

  it("refuse an unknown flag, a missing suite name and a stray argument", () => {
    expect(rejection("--quik").written).toContain("unknown option '--quik'\n(Did you mean --quick?)");
    expect(rejection("--only").written).toContain("argument missing");
    expect(rejection("quick").written).toContain("too many arguments");
  });
});
