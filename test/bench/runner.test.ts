import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { hasStackExchangeDump, stackExchangeDir } from "../../bench/harness/stackexchange.js";

const runner = fileURLToPath(new URL("../../bench/run.ts", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "repute-bench-runner-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Written {
  quick: boolean;
  code: { commit: string; modified: boolean } | null;
  comparisons: unknown[];
  suites: Array<{ suite: string; skipped?: string; failed?: string }>;
}

/** `npm run bench` without the build, on suites that end in a second: skipped or failing at once. */
function bench(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", runner, ...args], { encoding: "utf8", env: { ...process.env, REPUTE_BENCH_STACKEXCHANGE: scratch, ...env } });
}

// What the benchmark's runner tells its reader, and leaves behind, when it cannot measure.
describe("the benchmark's runner", () => {
  it("stops before it measures or writes bench/results.json when a suite or --out is wrong", () => {
    const results = fileURLToPath(new URL("../../bench/results.json", import.meta.url));
    const before = statSync(results, { throwIfNoEntry: false })?.mtimeMs;
    const run = bench(["--only", "htttp"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`"htttp" is not a suite`);
    expect(run.stdout).toBe("");
    const nowhere = bench(["--out", join(scratch, "missing", "r.json")]);
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toContain(`bench: cannot write the results to ${join(scratch, "missing", "r.json")}: ENOENT`);
    expect(nowhere.stderr).not.toContain("sqlite-ingest");
    expect(statSync(results, { throwIfNoEntry: false })?.mtimeMs).toBe(before);
  });

  it("writes the results where --out says, with the commit they measured and why a suite was skipped", () => {
    const out = join(scratch, "r.json");
    const run = bench(["--only", "real-activity", "--out", out]);
    expect(run.status).toBe(0);
    const written = JSON.parse(readFileSync(out, "utf8")) as Written;
    const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: fileURLToPath(new URL("../..", import.meta.url)), encoding: "utf8" });
    expect(written.code?.commit ?? null).toBe(head.status === 0 ? head.stdout.trim() : null);
    expect([written.quick, written.comparisons]).toEqual([false, []]);
    expect(written.suites).toMatchObject([{ suite: "real-activity", skipped: `REPUTE_BENCH_STACKEXCHANGE is ${scratch}, which has no Posts.xml and Votes.xml` }]);
    expect(run.stdout).toContain(`real-activity: skipped — REPUTE_BENCH_STACKEXCHANGE is ${scratch}`);
    expect(run.stderr).toContain(`bench: real-activity skipped: REPUTE_BENCH_STACKEXCHANGE is ${scratch}, which has no Posts.xml and Votes.xml\n`);
    if (written.code !== null) expect(run.stdout).toContain(`; code ${written.code.commit.slice(0, 7)}`);
  });

  it.skipIf(!hasStackExchangeDump())("says on stderr, as each suite ends, how long it took and what it found", () => {
    const run = bench(["--quick", "--only", "real-activity", "--out", join(scratch, "quick.json")], { REPUTE_BENCH_STACKEXCHANGE: stackExchangeDir });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/bench: real-activity \(quick\) …\nbench: real-activity done in \d+ s: 1 comparison, none with a target\n/);
    expect(run.stdout).toContain("9. real community ingest, 1000 per transaction (SQLite)");
    expect(run.stdout).toMatch(/\n1 comparison, none with a target; \d+ s \(quick sizes\)/);
  });

  it("reports a suite that failed in the table, its last line, the results and the exit code, and runs the rest", () => {
    const out = join(scratch, "failed.json");
    const run = bench(["--only", "postgres-ingest,real-activity", "--out", out], { REPUTE_BENCH_DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("bench: postgres-ingest: connect ECONNREFUSED 127.0.0.1:1\n");
    expect(run.stdout).toContain("postgres-ingest: FAILED (exit 1); its error is printed above, and none of its comparisons is counted\n");
    expect(run.stdout).toContain("real-activity: skipped");
    expect(run.stdout).toMatch(/\n0\/0 targets met; \d+ s; 1 suite FAILED/);
    const written = JSON.parse(readFileSync(out, "utf8")) as Written;
    expect(written.suites).toMatchObject([{ suite: "postgres-ingest", failed: "exit 1" }, { suite: "real-activity", skipped: expect.any(String) as string }]);
  });
});
