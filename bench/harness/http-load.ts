import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import autocannon from "autocannon";
import type { Latency } from "./stats.js";

/** A server process under load, and its URL. */
export interface Server {
  child: ChildProcess;
  url: string;
}

/** Starts a process and waits for the line `… listening on URL` on its stdout. */
export async function startServer(args: string[], env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const url = await new Promise<string>((done, fail) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = / listening on (http:\/\/\S+)$/m.exec(out);
      if (m === null) return;
      // Found: stop collecting, but keep draining, so whatever the server logs under load
      // costs the load generator (this process) nothing and never fills the pipe.
      child.stdout?.off("data", onData).resume();
      done(m[1] as string);
    };
    child.stdout?.on("data", onData);
    child.on("exit", (code) => fail(new Error(`server exited ${code} before listening`)));
  });
  return { child, url };
}

/** The service's settings under load: a database, any free port, warnings only, no rate limit. */
function serviceEnv(db: string): Record<string, string> {
  return { REPUTE_DB: db, REPUTE_CONFIG: "", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", REPUTE_RATE_LIMIT: "0" };
}

/** The real service (`repute serve`, built) on a database, group commit on or off, at a durability. */
export function startRepute(db: string, groupCommit: "on" | "off", durability: "full" | "normal" = "full"): Promise<Server> {
  return startServer([resolve("dist/cli/main.js"), "serve"], { ...serviceEnv(db), REPUTE_GROUP_COMMIT: groupCommit, REPUTE_DURABILITY: durability });
}

/**
 * The service with group commit off on a store that fsyncs inside every commit
 * (bench/harness/fsync-per-commit-server.ts): one transaction and one flush per request.
 */
export function startFsyncPerCommit(db: string): Promise<Server> {
  return startServer(["--import", "tsx", resolve("bench/harness/fsync-per-commit-server.ts")], serviceEnv(db));
}

/** The bare baseline server (bench/harness/bare-server.ts). */
export function startBare(): Promise<Server> {
  return startServer(["--import", "tsx", resolve("bench/harness/bare-server.ts")]);
}

/**
 * Stops a server and answers its peak RSS in MB (the kernel's high-water mark,
 * VmHWM), or undefined where /proc cannot tell.
 */
export async function stopServer(server: Server): Promise<number | undefined> {
  const peak = peakRssMb(server.child.pid);
  const exited = new Promise((done) => server.child.on("exit", done));
  server.child.kill("SIGTERM");
  await exited;
  return peak;
}

function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/** Distinct single-upvote POSTs (a new action id each); `prefix` keeps ids unique across phases. */
export function postLoad(url: string, key: string | null, connections: number, seconds: number, prefix: string): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/v1/actions",
        headers: { "content-type": "application/json", ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
        setupRequest: (request) => {
          const n = next++;
          return {
            ...request,
            body: JSON.stringify({ id: `${prefix}:${n}`, type: "upvote", actor: `voter${n % 50_000}`, target: { type: "answer", id: `a${n}`, author: `u${n % 10_000}` } }),
          };
        },
      },
    ],
  });
}

/** GETs of users' reputation, cycling over `users` user ids. */
export function getLoad(url: string, key: string | null, connections: number, seconds: number, users: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "GET",
        headers: key === null ? {} : { authorization: `Bearer ${key}` },
        setupRequest: (request) => ({ ...request, path: `/v1/users/u${(next++ * 7919) % users}/reputation` }),
      },
    ],
  });
}

/** The run's answer-time percentiles in milliseconds (autocannon's histogram, which counts whole milliseconds). */
export function latencyOf(r: autocannon.Result): Latency {
  return { p50: r.latency.p50, p99: r.latency.p99 };
}

/** 2xx answers per second of a run; throws when anything else came back (a broken run is not a figure). */
export function okRate(r: autocannon.Result): number {
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`benchmark run had ${r.non2xx} non-2xx answers and ${r.errors} errors`);
  return r["2xx"] / r.duration;
}
