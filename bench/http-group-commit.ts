/**
 * HTTP group commit vs one transaction per request.
 *
 * Starts the built server (`node dist/cli/main.js serve`) as its own process on a
 * fresh SQLite database with an `app` key, and drives `POST /v1/actions` with single,
 * distinct upvotes (every request a new action id) from `connections` concurrent
 * connections for `seconds`, once with REPUTE_GROUP_COMMIT=on and once with off,
 * `runs` times each (alternating, a fresh database each run). Prints the median
 * requests/s, p50/p99 latency and the ratio.
 *
 *   npm run build && npx tsx bench/http-group-commit.ts [--connections 64] [--seconds 10] [--runs 3] [--json]
 *
 * Not part of `npm test`. `runHttpGroupCommitBench` is importable for `npm run bench`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { openRepute } from "../src/repute.js";

/** Options of the benchmark. */
export interface HttpGroupCommitBenchOptions {
  connections?: number;
  seconds?: number;
  runs?: number;
  /** Seconds of load before each measured run (JIT, caches); not counted. */
  warmupSeconds?: number;
  /** Called with a line of progress. */
  log?: (line: string) => void;
}

/** One measured run. */
export interface RunResult {
  groupCommit: "on" | "off";
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Store transactions the server committed (from /metrics). */
  transactions: number;
}

/** The medians per mode, and every run. */
export interface HttpGroupCommitBenchResult {
  connections: number;
  seconds: number;
  on: { requestsPerSecond: number; p50Ms: number; p99Ms: number; actionsPerTransaction: number };
  off: { requestsPerSecond: number; p50Ms: number; p99Ms: number; actionsPerTransaction: number };
  /** on / off requests per second. */
  ratio: number;
  runs: RunResult[];
}

const BIN = resolve("dist/cli/main.js");

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function startServer(db: string, groupCommit: "on" | "off"): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: { ...process.env, REPUTE_DB: db, REPUTE_CONFIG: "", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", REPUTE_RATE_LIMIT: "0", REPUTE_GROUP_COMMIT: groupCommit },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const url = await new Promise<string>((done, fail) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^repute listening on (http:\/\/\S+)$/m.exec(out);
      if (m) done(m[1] as string);
    });
    child.on("exit", (code) => fail(new Error(`server exited ${code} before listening`)));
  });
  return { child, url };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.on("exit", done));
  child.kill("SIGTERM");
  await exited;
}

/** Drives distinct single-action POSTs at the server; `prefix` keeps action ids unique across phases. */
function load(url: string, key: string, connections: number, seconds: number, prefix: string): Promise<autocannon.Result> {
  let next = 0;
  const body = () => {
    const n = next++;
    return JSON.stringify({ id: `${prefix}:${n}`, type: "upvote", actor: `voter${n}`, target: { type: "answer", id: `a${n}`, author: `author${n % 1000}` } });
  };
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/v1/actions",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        setupRequest: (request) => ({ ...request, body: body() }),
      },
    ],
  });
}

async function transactionsOf(url: string, key: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${key}` } })).text();
  const line = text.split("\n").find((l) => l.startsWith("repute_group_commit_transactions_total "));
  return line === undefined ? Number.NaN : Number(line.split(" ")[1]);
}

async function runOnce(groupCommit: "on" | "off", options: Required<HttpGroupCommitBenchOptions>): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "repute-bench-"));
  try {
    const db = join(dir, "bench.db");
    const setup = await openRepute({ db, config: "qa" });
    const app = (await setup.apiKeys.create({ name: "bench", role: "app" })).key;
    const admin = (await setup.apiKeys.create({ name: "bench-admin", role: "admin" })).key;
    await setup.close();
    const { child, url } = await startServer(db, groupCommit);
    try {
      if (options.warmupSeconds > 0) await load(url, app, options.connections, options.warmupSeconds, "warmup");
      const before = await transactionsOf(url, admin);
      const r = await load(url, app, options.connections, options.seconds, "run");
      const transactions = (await transactionsOf(url, admin)) - before;
      return {
        groupCommit,
        requestsPerSecond: r["2xx"] / r.duration,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        requests: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors,
        transactions,
      };
    } finally {
      await stopServer(child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark (the server must be built: `npm run build`). */
export async function runHttpGroupCommitBench(options: HttpGroupCommitBenchOptions = {}): Promise<HttpGroupCommitBenchResult> {
  const o: Required<HttpGroupCommitBenchOptions> = { connections: 64, seconds: 10, runs: 3, warmupSeconds: 2, log: () => undefined, ...options };
  const runs: RunResult[] = [];
  for (let i = 0; i < o.runs; i++) {
    for (const mode of ["on", "off"] as const) {
      const r = await runOnce(mode, o);
      runs.push(r);
      o.log(
        `run ${i + 1}/${o.runs} group commit ${mode.padEnd(3)}: ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ` +
          `${r.transactions} transactions for ${r.requests} requests, non-2xx ${r.non2xx}, errors ${r.errors}`,
      );
    }
  }
  const summary = (mode: "on" | "off") => {
    const of = runs.filter((r) => r.groupCommit === mode);
    const ok = of.map((r) => r.requestsPerSecond * o.seconds);
    return {
      requestsPerSecond: median(of.map((r) => r.requestsPerSecond)),
      p50Ms: median(of.map((r) => r.p50Ms)),
      p99Ms: median(of.map((r) => r.p99Ms)),
      actionsPerTransaction: median(of.map((r, i) => (ok[i] as number) / r.transactions)),
    };
  };
  const on = summary("on");
  const off = summary("off");
  return { connections: o.connections, seconds: o.seconds, on, off, ratio: on.requestsPerSecond / off.requestsPerSecond, runs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { connections: { type: "string", default: "64" }, seconds: { type: "string", default: "10" }, runs: { type: "string", default: "3" }, json: { type: "boolean", default: false } },
  });
  const result = await runHttpGroupCommitBench({
    connections: Number(values.connections),
    seconds: Number(values.seconds),
    runs: Number(values.runs),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const row = (name: string, s: HttpGroupCommitBenchResult["on"]) =>
    `${name.padEnd(34)} ${s.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${String(s.p50Ms).padStart(4)} ms   p99 ${String(s.p99Ms).padStart(4)} ms   ${s.actionsPerTransaction.toFixed(1)} actions/transaction`;
  process.stdout.write(
    [
      `POST /v1/actions, single distinct upvotes, ${result.connections} connections, ${result.seconds} s, median of ${result.runs.length / 2} runs`,
      row("group commit on", result.on),
      row("off (one transaction per request)", result.off),
      `ratio on/off: ${result.ratio.toFixed(2)}×`,
      "",
    ].join("\n"),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
