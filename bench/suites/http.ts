import { openRepute } from "../../src/repute.js";
import { NOW, freshPath, upvotes } from "../harness/fixtures.js";
import { type Server, getLoad, okRate, postLoad, startBare, startFsyncPerCommit, startRepute, stopServer } from "../harness/http-load.js";
import { type Comparison, type Pair, compare } from "../harness/stats.js";

const CONNECTIONS = 64;

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
  /** A warmup, then the measured run of POSTs against a started server; stops it. The rate, and the server's peak RSS. */
  const postRate = async (server: Server, key: string | null) => {
    await postLoad(server.url, key, CONNECTIONS, warmup, "warmup");
    const rate = okRate(await postLoad(server.url, key, CONNECTIONS, seconds, "run"));
    const rssMb = await stopServer(server);
    return { rate, rssMb };
  };
  /** A pair of runs, with the engine's (the service's) peak RSS where known. */
  const pair = (engine: { rate: number; rssMb: number | undefined }, baseline: { rate: number }): Pair =>
    engine.rssMb === undefined ? { engine: engine.rate, baseline: baseline.rate } : { engine: engine.rate, baseline: baseline.rate, engineRssMb: engine.rssMb };
  /** The same against the service `start` runs on a fresh database, with an app key. */
  const postRun = async (start: (db: string) => Promise<Server>) => {
    const { db, app } = await database(0);
    return postRate(await start(db), app);
  };
  for (let r = 0; r < reps; r++) {
    const onFull = await postRun((db) => startRepute(db, "on", "full"));
    const bareRate = await postRate(await startBare(), null);
    const offFull = await postRun((db) => startRepute(db, "off", "full"));
    post.push(pair(onFull, bareRate));
    gcFull.push(pair(onFull, offFull));
    // The two comparisons without a target run in the full benchmark only, so the quick one stays under two minutes.
    if (!quick) {
      gcPerCommit.push(pair(onFull, await postRun(startFsyncPerCommit)));
      gcNormal.push(pair(await postRun((db) => startRepute(db, "on", "normal")), await postRun((db) => startRepute(db, "off", "normal"))));
    }

    const { db, read } = await database(quick ? 10_000 : 50_000);
    const server = await startRepute(db, "on");
    await getLoad(server.url, read, CONNECTIONS, warmup, 10_000);
    const engineGet = { rate: okRate(await getLoad(server.url, read, CONNECTIONS, seconds, 10_000)), rssMb: await stopServer(server) };
    const bareGet = await startBare();
    await getLoad(bareGet.url, null, CONNECTIONS, warmup, 10_000);
    const bareGetRate = okRate(await getLoad(bareGet.url, null, CONNECTIONS, seconds, 10_000));
    await stopServer(bareGet);
    get.push(pair(engineGet, { rate: bareGetRate }));
  }
  const load = `${CONNECTIONS} connections, ${seconds} s`;
  const comparisons = [
    compare("7. HTTP POST /v1/actions vs a bare route", "requests/s", post, 0.4, `${load}, single distinct upvotes, the service's defaults (group commit, durability full), SQLite; bare: the same body schema and validator, no engine`),
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
