// npm run bench [-- --quick] [-- --only NAME[,NAME…]]: builds, then measures every hot path against a baseline measured
// in the same run. Each suite runs in its own process (a clean heap and its own peak RSS);
// each suite's start and outcome go to stderr as it runs, the table to stdout and every comparison to
// bench/results.json (or --out FILE).
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CommanderError } from "commander";
import { parseBenchOptions, type BenchOptions } from "./harness/options.js";
import type { Comparison, Latency } from "./harness/stats.js";
import { counted } from "../src/cli/output.js";

// A wrong flag or suite name stops here, before anything is measured or the results file is touched.
let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  process.exit(e.exitCode === 0 ? 0 : 2);
}
const { quick, suites, out } = options;
// …and so does a results file that could not be written at the end of the run.
try {
  if (!statSync(dirname(out)).isDirectory()) throw new Error(`${dirname(out)} is not a folder`);
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory() === true) throw new Error("it is a folder");
  accessSync(dirname(out), constants.W_OK);
} catch (e) {
  process.stderr.write(`bench: cannot write the results to ${out}: ${(e as Error).message}\n`);
  process.exit(2);
}

// The code measured: the commit, and whether the working tree differed from it (null outside a git checkout).
function measuredCode(): { commit: string; modified: boolean } | null {
  const git = (...a: string[]) => spawnSync("git", a, { cwd: new URL("..", import.meta.url), encoding: "utf8" });
  const head = git("rev-parse", "HEAD");
  if (head.status !== 0) return null;
  return { commit: head.stdout.trim(), modified: git("status", "--porcelain", "--untracked-files=no").stdout.trim() !== "" };
}
const code = measuredCode();

interface SuiteResult {
  suite: string;
  comparisons: Comparison[];
  peakRssMb: number;
  seconds: number;
  skipped?: string;
}

/** A suite that failed: its error went to stderr as it happened; the table and the results say so too. */
interface SuiteFailure {
  suite: string;
  failed: string;
}

/** How many targets a set of comparisons met, and how many had none: "1/2 targets met (and 1 comparison without a target)". */
function tally(comparisons: Comparison[]): string {
  const targeted = comparisons.filter((c) => c.met !== null);
  const untargeted = comparisons.length - targeted.length;
  if (targeted.length === 0 && untargeted > 0) return `${counted(untargeted, "comparison")}, none with a target`;
  return `${targeted.filter((c) => c.met).length}/${targeted.length} targets met${untargeted > 0 ? ` (and ${counted(untargeted, "comparison")} without a target)` : ""}`;
}

const started = performance.now();
// What each suite came to, in run order: its result, or its failure.
const outcomes: Array<SuiteResult | SuiteFailure> = [];
for (const suite of suites) {
  process.stderr.write(`bench: ${suite}${quick ? " (quick)" : ""} …\n`);
  const child = spawnSync(process.execPath, ["--import", "tsx", new URL("./suite.ts", import.meta.url).pathname, suite, quick ? "quick" : "full"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) {
    const how = child.signal !== null ? `killed by ${child.signal}` : child.error !== undefined ? child.error.message : `exit ${child.status}`;
    process.stderr.write(`bench: ${suite} failed (${how})\n`);
    outcomes.push({ suite, failed: how });
    process.exitCode = 1;
    continue;
  }
  const result = JSON.parse(child.stdout.trim().split("\n").pop() as string) as SuiteResult;
  outcomes.push(result);
  process.stderr.write(`bench: ${suite} ${result.skipped === undefined ? `done in ${result.seconds} s: ${tally(result.comparisons)}` : `skipped: ${result.skipped}`}\n`);
}
const results = outcomes.filter((o): o is SuiteResult => !("failed" in o));
const failed = outcomes.filter((o): o is SuiteFailure => "failed" in o);

// The engine's own peak where a process ran only the engine, else the suite's (engine, baseline and harness together).
const rows = results.flatMap((r) => r.comparisons.map((c) => ({ ...c, rss: c.engineRssMb === undefined ? `${r.peakRssMb} MB suite` : `${c.engineRssMb} MB engine` })));
const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));
process.stdout.write(`${pad("comparison", 56)} ${lpad("engine", 12)} ${lpad("baseline", 12)} ${pad(" unit", 12)} ${lpad("ratio", 7)}  ${pad("target", 7)}  met  peak RSS\n`);
for (const r of rows) {
  process.stdout.write(
    `${pad(r.name, 56)} ${lpad(fmt(r.engine), 12)} ${lpad(fmt(r.baseline), 12)} ${pad(` ${r.unit}`, 12)} ${lpad(r.ratio.toFixed(3), 7)}  ${pad(r.target, 7)}  ${r.met === null ? " — " : r.met ? "yes" : "NO "}  ${r.rss}\n`,
  );
}
const timed = rows.filter((r) => r.engineLatencyMs !== undefined && r.baselineLatencyMs !== undefined);
if (timed.length > 0) {
  const ms = (l: Latency | undefined) => (l === undefined ? "" : `${l.p50} / ${l.p99}`);
  process.stdout.write(`\n${pad("answer times under load, ms (p50 / p99; whole ms)", 56)} ${lpad("engine", 14)} ${lpad("baseline", 14)}\n`);
  for (const r of timed) process.stdout.write(`${pad(r.name, 56)} ${lpad(ms(r.engineLatencyMs), 14)} ${lpad(ms(r.baselineLatencyMs), 14)}\n`);
}
for (const r of results) if (r.skipped !== undefined) process.stdout.write(`${r.suite}: skipped — ${r.skipped}\n`);
for (const f of failed) process.stdout.write(`${f.suite}: FAILED (${f.failed}); its error is printed above, and none of its comparisons is counted\n`);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `\n${tally(rows)}; ${seconds.toFixed(0)} s${quick ? " (quick sizes)" : ""}${failed.length > 0 ? `; ${counted(failed.length, "suite")} FAILED` : ""}${code === null ? "" : `; code ${code.commit.slice(0, 7)}${code.modified ? " with uncommitted changes" : ""}`}\n`,
);

/** A suite's entry in the results file: its comparisons are listed once, under `comparisons`. */
const withoutComparisons = (o: SuiteResult | SuiteFailure) => {
  if ("failed" in o) return o;
  const { comparisons: _comparisons, ...record } = o;
  return record;
};
const machine = { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`, memoryGb: Math.round(totalmem() / 2 ** 30) };
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), quick, code, machine, seconds: Math.round(seconds), comparisons: rows.map(({ rss: _rss, ...c }) => c), suites: outcomes.map(withoutComparisons) }, null, 2)}\n`,
);
process.stderr.write(`bench: wrote ${out}\n`);
