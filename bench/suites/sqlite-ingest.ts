import type { ActionInput } from "../../src/core/action.js";
import { engineOn, freshPath, rawSqlite, recordingEngine, upvotes } from "../harness/fixtures.js";
import { replay } from "../harness/recording-sqlite.js";
import { type Comparison, compare, rate } from "../harness/stats.js";

const USERS = 100_000;

async function submitAll(repute: Awaited<ReturnType<typeof engineOn>>, actions: ActionInput[], batch: number): Promise<void> {
  if (batch === 1) for (const a of actions) await repute.submit(a);
  else for (let i = 0; i < actions.length; i += batch) await repute.submitBatch(actions.slice(i, i + batch));
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
    ["ingest, one action per transaction (SQLite)", 1, quick ? 3_000 : 20_000],
    ["ingest, 1000 actions per transaction (SQLite)", 1000, quick ? 30_000 : 200_000],
  ] as const) {
    const reps = quick ? 3 : 5;
    const engine: number[] = [];
    const baseline: number[] = [];
    for (let r = 0; r < reps; r++) {
      const actions = upvotes(n, USERS, r * n);
      const rec = await recordingEngine(freshPath(), "qa");
      await submitAll(rec.repute, actions, batch);
      await rec.repute.close();

      const repute = await engineOn(freshPath(), "qa");
      engine.push(await rate(n, () => submitAll(repute, actions, batch)));
      await repute.close();

      const path = freshPath();
      await (await engineOn(path, "qa")).close(); // the same schema and setup rows
      const db = rawSqlite(path);
      baseline.push(await rate(n, () => replay(db, rec.recorder.transactions)));
      db.close();
    }
    out.push(compare(name, "actions/s", engine, baseline, 0.5, `${n} qa upvotes among ${USERS} users, batches of ${batch}`));
  }
  return out;
}
