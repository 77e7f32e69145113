import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_RESULTS, parseBenchOptions, SUITES } from "../../bench/harness/options.js";

const runner = fileURLToPath(new URL("../../bench/run.ts", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "repute-bench-options-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// What a mistyped `npm run bench -- …` does: it must stop at once with the names it knows,
// not measure for a quarter of an hour, nor run nothing and overwrite the last results.
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

  it("stop the runner before it measures or writes bench/results.json", () => {
    const results = fileURLToPath(new URL("../../bench/results.json", import.meta.url));
    const before = statSync(results, { throwIfNoEntry: false })?.mtimeMs;
    const run = spawnSync(process.execPath, ["--import", "tsx", runner, "--only", "htttp"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`"htttp" is not a suite`);
    expect(run.stdout).toBe("");
    const nowhere = spawnSync(process.execPath, ["--import", "tsx", runner, "--out", join(scratch, "missing", "r.json")], { encoding: "utf8" });
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toContain(`bench: cannot write the results to ${join(scratch, "missing", "r.json")}: ENOENT`);
    expect(nowhere.stderr).not.toContain("sqlite-ingest");
    expect(statSync(results, { throwIfNoEntry: false })?.mtimeMs).toBe(before);
  });

  it("write the results where --out says, with the commit they measured and why a suite was skipped", () => {
    const out = join(scratch, "r.json");
    const run = spawnSync(process.execPath, ["--import", "tsx", runner, "--only", "real-activity", "--out", out], {
      encoding: "utf8",
      env: { ...process.env, REPUTE_BENCH_STACKEXCHANGE: scratch },
    });
    expect(run.status).toBe(0);
    const written = JSON.parse(readFileSync(out, "utf8")) as { quick: boolean; code: { commit: string; modified: boolean } | null; comparisons: unknown[]; suites: Array<{ suite: string; skipped?: string }> };
    const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: fileURLToPath(new URL("../..", import.meta.url)), encoding: "utf8" });
    expect(written.code?.commit ?? null).toBe(head.status === 0 ? head.stdout.trim() : null);
    expect([written.quick, written.comparisons]).toEqual([false, []]);
    expect(written.suites).toMatchObject([{ suite: "real-activity", skipped: `REPUTE_BENCH_STACKEXCHANGE is ${scratch}, which has no Posts.xml and Votes.xml` }]);
    expect(run.stdout).toContain(`real-activity: skipped — REPUTE_BENCH_STACKEXCHANGE is ${scratch}`);
    if (written.code !== null) expect(run.stdout).toContain(`; code ${written.code.commit.slice(0, 7)}`);
  });
});
