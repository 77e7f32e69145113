import { sqliteReplayComparison } from "../harness/sqlite-replay-comparison.js";
import { stackExchangeDir, stackExchangeHistory } from "../harness/stackexchange.js";
import type { Comparison } from "../harness/stats.js";

/**
 * 9 (beyond the list, without a target): a real community's history — by
 * default beer.stackexchange.com's questions, answers and votes, in the order they happened —
 * ingested by the engine on the qa preset, against raw better-sqlite3 replaying the
 * row writes the engine recorded, as in 1 and 2. Real activity is skewed (a few
 * authors collect most votes), where the synthetic workload spreads votes evenly.
 */
export async function realActivity(quick: boolean): Promise<Comparison[]> {
  const history = stackExchangeHistory();
  const { actions } = history;
  const out: Comparison[] = [];
  // A quick run measures the import only (batches of 1000), to stay under two minutes.
  const modes = quick ? ([["9. real community ingest, 1000 per transaction (SQLite)", 1000]] as const) : ([
    ["9. real community ingest, 1 per transaction (SQLite)", 1],
    ["9. real community ingest, 1000 per transaction (SQLite)", 1000],
  ] as const);
  for (const [name, batch] of modes) {
    out.push(
      await sqliteReplayComparison(
        name,
        actions,
        batch,
        quick ? 3 : 5,
        null,
        `the Stack Exchange dump at ${stackExchangeDir}: ${history.posts} questions and answers, ${history.upvotes} upvotes, ${history.downvotes} downvotes (${actions.length} actions; ` +
          `voters are stand-ins, one per vote, as the dump leaves them out), ${batch} per transaction; baseline replays the engine's recorded row writes`,
      ),
    );
  }
  return out;
}
