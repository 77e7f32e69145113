import { spawnSync } from "node:child_process";
import { upvotes } from "../harness/fixtures.js";
import { sqliteReplayComparison } from "../harness/sqlite-replay-comparison.js";
import type { Comparison } from "../harness/stats.js";

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
    const comparison = await sqliteReplayComparison(
      name,
      upvotes(n, USERS),
      batch,
      quick ? 3 : 5,
      0.5,
      `${n} qa upvotes among ${USERS} users on 200k answers in 50 tags, ${batch} per transaction; baseline replays the engine's recorded row writes`,
    );
    // The suite's own peak holds every recording the baselines replay; the full run also measures the engine alone
    // (a quick run skips it to stay under two minutes).
    out.push(quick ? comparison : { ...comparison, engineRssMb: engineOnlyRss(n, batch) });
  }
  return out;
}
