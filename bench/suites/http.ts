import type autocannon from "autocannon";
import { openRepute } from "../../src/open-repute.js";
import { NOW, freshPath, upvotes } from "../harness/fixtures.js";
import { type Server, getLoad, latencyOf, okRate, postLoad, startBare, startFsyncPerCommit, startRepute, stopServer } from "../harness/http-load.js";
import { type Comparison, type Latency, type Pair, compare } from "../harness/stats.js";

const CONNECTIONS = 64;

/** One measured load against one server. */
interface Run {
  rate: number;
  latencyMs: Latency;
  rssMb: number | undefined;
}

/** A fresh database with an app key, a read key, and `seed` users' worth of votes. */
async function database(seed: number): Promise<{ db: string; app: string; read: string }> {
  const db = freshPath();
  const setup = await openRepute({ db, config: "qa", clock: () => NOW });
  const app = (await setup.apiKeys.create({ name: "bench-app", role: "app" })).key;
  const read = (await setup.apiKeys.create({ name: "bench-read", role: "read" })).key;
  const actions = upvotes(seed, 10_000);
  for (let i = 0; i < actions.length; i += 1000) await setup.submitBatch(actions.slice(i, i + 1000));
  await setup.close();
  return { db, app, read };
}

/**
 * 7: the service over real sockets, 64 connections (autocannon), the server in its own
 * process: POST /v1/actions (single distinct upvotes) against a bare Fastify route
 * with the same body schema that does nothing; GET /v1/users/{id}/reputation against a
 * bare route with the same path schema; and group commit against one transaction per
 * request (as the service runs it, and with an fsync inside every commit). Runs
 * alternate, a fresh database each.
 */
export async function httpSuite(quick: boolean): Promise<Comparison[]> {
  const seconds = quick ? 2 : 10;
  const warmup = quick ? 1 : 2;
  const reps = quick ? 1 : 3;
  const post: Pair[] = [];
  const gcFull: Pair[] = [];
  const gcPerCommit: Pair[] = [];
  const gcNormal: Pair[] = [];
  const get: Pair[] = [];
  /** A load of `seconds` against a server's URL; `phase` keeps action ids of the warmup and the run apart. */
  type Load = (url: string, seconds: number, phase: "warmup" | "run") => Promise<autocannon.Result>;
  const posts = (key: string | null): Load => (url, s, phase) => postLoad(url, key, CONNECTIONS, s, phase);
  const gets = (key: string | null): Load => (url, s) => getLoad(url, key, CONNECTIONS, s, 10_000);
  /**
   * A warmup, then the measured run against a started server, which it then stops, whatever
   * happened (a failed load must not leave a server behind for the next suites to share the
   * cores with): the rate, its answer times, and the server's peak RSS.
   */
  const measure = async (server: Server, load: Load): Promise<Run> => {
    let result: autocannon.Result;
    let rssMb: number | undefined;
    try {
      await load(server.url, warmup, "warmup");
      result = await load(server.url, seconds, "run");
    } finally {
      rssMb = await stopServer(server);
    }
    return { rate: okRate(result), latencyMs: latencyOf(result), rssMb };
  };
  /** A pair of runs, with the engine's (the service's) peak RSS where known, and both sides' answer times. */
  const pair = (engine: Run, baseline: Run): Pair => ({
    engine: engine.rate,
    baseline: baseline.rate,
    engineRssMb: engine.rssMb,
    engineLatencyMs: engine.latencyMs,
    baselineLatencyMs: baseline.latencyMs,
  });
  /** POSTs against the service `start` runs on a fresh database, with an app key. */
  const postRun = async (start: (db: string) => Promise<Server>) => {
    const { db, app } = await database(0);
    return measure(await start(db), posts(app));
  };
  for (let r = 0; r < reps; r++) {
    const onFull = await postRun((db) => startRepute(db, "on", "full"));
    const bare = await measure(await startBare(), posts(null));
    const offFull = await postRun((db) => startRepute(db, "off", "full"));
    post.push(pair(onFull, bare));
    gcFull.push(pair(onFull, offFull));
    // The two comparisons without a target run in the full benchmark only, so the quick one stays under two minutes.
    if (!quick) {
      gcPerCommit.push(pair(onFull, await postRun(startFsyncPerCommit)));
      gcNormal.push(pair(await postRun((db) => startRepute(db, "on", "normal")), await postRun((db) => startRepute(db, "off", "normal"))));
    }

    const { db, read } = await database(quick ? 10_000 : 50_000);
    const engineGet = await measure(await startRepute(db, "on"), gets(read));
    get.push(pair(engineGet, await measure(await startBare(), gets(null))));
  }
  const load = `${CONNECTIONS} connections, ${seconds} s`;
  const comparisons = [
    compare("7. HTTP POST /v1/actions vs a bare route", "requests/s", post, 0.4, `${load}, single distinct upvotes, the service's defaults (group commit, durability full) but LOG_LEVEL=warn, SQLite; bare: the same body schema and validator, no engine`),
    compare("7. HTTP GET /v1/users/{id}/reputation vs a bare route", "requests/s", get, null, `${load}, 10k users; bare: the same path schema, no engine; the issue sets no target`),
    compare("7. HTTP group commit vs one transaction per request", "requests/s", gcFull, 5, `POST /v1/actions, ${load}: REPUTE_GROUP_COMMIT on vs off at the service's default durability (full: an answer waits for the fsync after its commit; the store shares one fsync among the commits made while it runs, with or without group commit), SQLite`),
  ];
  if (!quick) {
    comparisons.push(
      compare("7. HTTP group commit vs one fsync per request", "requests/s", gcPerCommit, null, `the same, against group commit off on a store that fsyncs inside every commit (SQLite synchronous=FULL), so no two requests share a flush: what the row above measured before the store shared fsyncs; reported, no target`),
      compare("7. HTTP group commit vs one transaction per request, durability normal", "requests/s", gcNormal, null, `the same with REPUTE_DURABILITY=normal (fsync at checkpoints only): commits are cheap, so gathering them gains less; reported, no target`),
    );
  }
  return comparisons;
}
