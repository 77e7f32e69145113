import { spawnSync } from "node:child_process";
import { engineOn, freshPath, rawWriter, recordingEngine, submitAll, upvotes } from "../harness/fixtures.js";
import { replay } from "../harness/recording-sqlite.js";
import { type Comparison, type Pair, compare, interleaved } from "../harness/stats.js";

const USERS = 100_000;

/** The peak RSS (MB) of the engine alone on the same workload, in a process of its own. */
function engineOnlyRss(n: number, batch: number): number {
  const child = spawnSync(process.execPath, ["--import", "tsx", new URL("../harness/engine-only.ts", import.meta.url).pathname, String(n), String(USERS), String(batch)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (child.status !== 0) throw new Error(`the engine-only run failed (exit ${child.status})`);
  return Number(child.stdout.trim());
}

/**
 * 1 and 2: ingest qa upvotes among 100k users, one action per transaction and 1000
 * per transaction, against raw better-sqlite3 replaying exactly the row writes the
 * engine made (recorded in an untimed run), with cached prepared statements and the
 * same transaction boundaries.
 */
export async function sqliteIngest(quick: boolean): Promise<Comparison[]> {
  const out: Comparison[] = [];
  for (const [name, batch, n] of [
    ["1. ingest, one action per transaction (SQLite)", 1, quick ? 3_000 : 20_000],
    ["2. ingest, 1000 actions per transaction (SQLite)", 1000, quick ? 30_000 : 200_000],
  ] as const) {
    // The engine's row writes are recorded once, in an untimed run; every repetition then
    // submits the same actions to a new engine and replays the recording on a new file.
    const actions = upvotes(n, USERS);
    const rec = await recordingEngine(freshPath(), "qa");
    await submitAll(rec.repute, actions, batch);
    await rec.repute.close();
    const txs = rec.recorder.transactions;
    const pairs: Pair[] = [];
    for (let r = 0; r < (quick ? 3 : 5); r++) {
      const repute = await engineOn(freshPath(), "qa");
      const path = freshPath();
      await (await engineOn(path, "qa")).close(); // the same schema and setup rows
      const raw = rawWriter(path); // the store's pragmas and background checkpointer
      const chunks = 10;
      const per = n / chunks;
      pairs.push(
        await interleaved(
          chunks,
          per,
          (c) => submitAll(repute, actions.slice(c * per, (c + 1) * per), batch),
          (c) => replay(raw.db, txs.slice((c * per) / batch, ((c + 1) * per) / batch)),
        ),
      );
      await repute.close();
      await raw.close();
    }
    const comparison = compare(name, "actions/s", pairs, 0.5, `${n} qa upvotes among ${USERS} users on 200k answers in 50 tags, ${batch} per transaction; baseline replays the engine's recorded row writes`);
    // The suite's own peak holds every recording the baselines replay; the full run also measures the engine alone
    // (a quick run skips it to stay under two minutes).
    out.push(quick ? comparison : { ...comparison, engineRssMb: engineOnlyRss(n, batch) });
  }
  return out;
}
