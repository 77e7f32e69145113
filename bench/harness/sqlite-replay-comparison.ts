import type { ActionInput } from "../../src/core/action.js";
import { engineOn, freshPath, rawWriter, recordingEngine, submitAll } from "./fixtures.js";
import { replay } from "./recording-sqlite.js";
import { type Comparison, type Pair, compare, interleaved } from "./stats.js";

/**
 * Ingest on SQLite against raw better-sqlite3 replaying exactly the row writes the
 * engine made: the engine's writes are recorded once, in an untimed run; every
 * repetition then submits the same actions to a new engine (qa preset) and replays
 * the recording on a new file with the same schema, setup rows, pragmas and
 * background checkpointer, interleaved in 10 chunks of whole transactions.
 */
export async function sqliteReplayComparison(
  name: string,
  actions: readonly ActionInput[],
  batch: number,
  repetitions: number,
  minRatio: number | null,
  note: string,
): Promise<Comparison> {
  const rec = await recordingEngine(freshPath(), "qa");
  await submitAll(rec.repute, actions, batch);
  await rec.repute.close();
  const txs = rec.recorder.transactions;
  if (txs.length !== Math.ceil(actions.length / batch)) throw new Error(`expected one transaction per batch: ${txs.length} for ${actions.length} actions in ${batch}s`);
  const chunks = Math.min(10, txs.length);
  const bound = (c: number) => Math.floor((c * txs.length) / chunks); // the first transaction of chunk c
  const pairs: Pair[] = [];
  for (let r = 0; r < repetitions; r++) {
    const repute = await engineOn(freshPath(), "qa");
    const path = freshPath();
    await (await engineOn(path, "qa")).close(); // the same schema and setup rows
    const raw = rawWriter(path); // the store's pragmas and background checkpointer
    pairs.push(
      await interleaved(
        chunks,
        actions.length / chunks,
        (c) => submitAll(repute, actions.slice(bound(c) * batch, bound(c + 1) * batch), batch),
        (c) => replay(raw.db, txs.slice(bound(c), bound(c + 1))),
      ),
    );
    await repute.close();
    await raw.close();
  }
  return compare(name, "actions/s", pairs, minRatio, note);
}
