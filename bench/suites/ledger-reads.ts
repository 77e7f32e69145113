import type Database from "better-sqlite3";
import { bigLedger } from "../harness/big-ledger.js";
import { rawSqlite } from "../harness/fixtures.js";
import { type Comparison, type Pair, compare, interleaved } from "../harness/stats.js";

/**
 * 3–6 on a ledger of one entry per user in one topic (1M users; 100k quick):
 * snapshot read, leaderboard top 50, rank at the median user and at the top 1%, and
 * rebuild, each against the raw SQL doing the same read on the same index (or the
 * one statement that sums the ledger).
 */
export async function ledgerReads(quick: boolean): Promise<Comparison[]> {
  const users = quick ? 100_000 : 1_000_000;
  const reps = quick ? 3 : 5;
  const { path, repute, points } = await bigLedger(users);
  const db: Database.Database = rawSqlite(path);
  const out: Comparison[] = [];
  const repeat = async (n: number, chunks: number, engine: (i: number) => Promise<unknown>, baseline: (i: number) => unknown) => {
    const pairs: Pair[] = [];
    for (let r = 0; r < reps; r++) {
      pairs.push(
        await interleaved(
          chunks,
          n / chunks,
          async (c) => {
            for (let i = (c * n) / chunks; i < ((c + 1) * n) / chunks; i++) await engine(i);
          },
          (c) => {
            for (let i = (c * n) / chunks; i < ((c + 1) * n) / chunks; i++) baseline(i);
          },
        ),
      );
    }
    return pairs;
  };

  const get = db.prepare("SELECT * FROM snapshots WHERE user_id = ? AND topic = ?");
  const userOf = (i: number) => `u${(i * 7919) % users}`;
  const reads = quick ? 20_000 : 100_000;
  out.push(
    compare(
      "3. snapshot read (SQLite)",
      "reads/s",
      await repeat(reads, 20, (i) => repute.reputation(userOf(i), { topic: "bench" }), (i) => get.get(userOf(i), "bench")),
      0.5,
      `reputation(user, { topic }) with level, next level and progress vs a prepared get by primary key; ${users} users`,
    ),
  );

  const top = db.prepare("SELECT user_id, points FROM snapshots WHERE topic = ? ORDER BY points DESC LIMIT 50");
  out.push(
    compare(
      "4. leaderboard top 50 (SQLite)",
      "pages/s",
      await repeat(quick ? 2_000 : 5_000, 20, () => repute.leaderboard("bench", { limit: 50 }), () => top.all("bench")),
      0.5,
      `leaderboard("bench", { limit: 50 }) with ranks, levels and a cursor vs ORDER BY points DESC LIMIT 50 on the same index; ${users} users`,
    ),
  );

  const sorted = [...points].sort((a, b) => a - b);
  const count = db.prepare("SELECT COUNT(*) AS n FROM snapshots WHERE topic = ? AND points > ?");
  for (const [label, q, target] of [
    ["median user", 0.5, 10],
    ["top 1%", 0.99, null],
  ] as const) {
    const pts = sorted[Math.floor(q * (sorted.length - 1))] as number;
    const user = `u${points.indexOf(pts)}`;
    const pairs: Pair[] = [];
    for (let r = 0; r < reps; r++) {
      // COUNT(*) at the median walks half the index: far fewer of them fit in the time.
      const e = await interleaved(1, 2_000, async () => {
        for (let i = 0; i < 2_000; i++) await repute.rank(user, "bench");
      }, () => undefined);
      const b = await interleaved(1, 20, () => undefined, () => {
        for (let i = 0; i < 20; i++) count.get("bench", pts);
      });
      pairs.push({ engine: e.engine, baseline: b.baseline });
    }
    out.push(
      compare(
        `5. rank of one user, ${label} (SQLite)`,
        "ranks/s",
        pairs,
        target,
        `rank(user, "bench") vs SELECT COUNT(*) … WHERE points > ? (the user has ${pts} points); ${users} users${target === null ? "; the issue sets a target at the median only" : ""}`,
      ),
    );
  }

  db.exec(`CREATE TABLE baseline_snapshots (user_id TEXT NOT NULL, topic TEXT NOT NULL, points INTEGER NOT NULL, pending INTEGER NOT NULL,
    peak INTEGER NOT NULL, period INTEGER NOT NULL, entries INTEGER NOT NULL, last_at INTEGER NOT NULL, PRIMARY KEY (user_id, topic)) WITHOUT ROWID;
    CREATE INDEX baseline_board ON baseline_snapshots (topic, points DESC, user_id, pending);`);
  const sumAll = db.transaction(() => {
    db.exec("DELETE FROM baseline_snapshots");
    db.exec("INSERT INTO baseline_snapshots SELECT user_id, topic, SUM(delta), 0, SUM(delta), 0, COUNT(*), MAX(at) FROM entries GROUP BY user_id, topic");
  });
  const pairs: Pair[] = [];
  for (let r = 0; r < (quick ? 2 : 3); r++) pairs.push(await interleaved(1, users, () => repute.rebuild(), () => sumAll.immediate()));
  out.push(
    compare(
      "6. rebuild from the ledger (SQLite)",
      "entries/s",
      pairs,
      0.5,
      `${users} entries: rebuild() (snapshots with pending and peak, rank histogram, cap counters; only differing snapshots written) vs one INSERT … SELECT … GROUP BY into an empty table of the same shape`,
    ),
  );
  db.close();
  await repute.close();
  return out;
}
