import type Database from "better-sqlite3";
import type { Repute } from "../../src/repute.js";
import { NOW, engineOn, freshPath, rawSqlite } from "./fixtures.js";

/** The configuration of the big ledger: per-topic totals only, so one entry per user. */
export const bigLedgerConfig = { topics: { global: false } };

/** A heavy-tailed number of points, at least 1, as real reputation is: the median user has 3, the top 1% hundreds. */
export function pointsOf(i: number): number {
  // A fixed pseudo-random r in (0, 1] per user, then a Pareto-like tail.
  const r = ((((i * 2654435761) >>> 0) % 1_000_000) + 1) / 1_000_000;
  return Math.floor(2 / r ** 1.2) - 1;
}

/**
 * A ledger of `users` adjustments, one per user, in topic `bench` — written raw (it
 * is setup, not the thing measured), then rebuilt by the engine so the snapshots
 * and rank histogram are the engine's own. `verify` passes on it.
 */
export async function bigLedger(users: number): Promise<{ path: string; repute: Repute; points: number[] }> {
  const path = freshPath("ledger.db");
  const setup = await engineOn(path, bigLedgerConfig);
  await setup.addTopics({ id: "bench" });
  const version = setup.rulesVersion;
  await setup.close();
  const db: Database.Database = rawSqlite(path);
  const action = db.prepare(
    `INSERT INTO actions (id, hash, type, actor, target_type, target_id, target_author, topic, at, data, reverts, reverted_by, rules_version,
       entry_count, outcome, received_at) VALUES (?, ?, 'adjust', 'bench', 'user', ?, NULL, 'bench', ?, ?, NULL, NULL, ?, 1, ?, ?)`,
  );
  const entry = db.prepare(
    `INSERT INTO entries (action_id, idx, user_id, topic, delta, kind, rule, role, requested, source, reverses_action, reverses_idx, rules_version, at)
     VALUES (?, 0, ?, 'bench', ?, 'adjust', NULL, NULL, NULL, NULL, NULL, NULL, ?, ?)`,
  );
  const outcome = JSON.stringify({ changes: [], levels: [], awards: [], cascaded: [] });
  const points: number[] = [];
  const at = NOW - 3_600_000;
  db.transaction(() => {
    for (let i = 0; i < users; i++) {
      const p = pointsOf(i);
      points.push(p);
      const id = `seed:${i}`;
      action.run(id, `h${i}`, `u${i}`, at, JSON.stringify({ points: p, reason: "seed" }), version, outcome, NOW);
      entry.run(id, `u${i}`, p, version, at);
    }
  })();
  db.close();
  const repute = await engineOn(path, bigLedgerConfig);
  await repute.rebuild();
  return { path, repute, points };
}
