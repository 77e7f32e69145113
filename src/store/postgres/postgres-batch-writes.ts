import type { Effects } from "../../core/decide.js";
import type { Snapshot } from "../../core/snapshot.js";
import type { ActionRecord } from "../../core/submit-result.js";
import type { Topic } from "../../core/topic-tree.js";
import type { RankDeltas } from "../rank-buckets.js";
import { actionValues, entryValues, snapshotValues } from "../rows.js";
import type { PgQueryable } from "./pg-driver.js";
import { insertTopics } from "./postgres-topic-tree.js";
import { RetryTransaction } from "./retry-transaction.js";

/** Columns → arrays, for `INSERT … SELECT * FROM unnest($1::t[], …)`. */
function columns(rows: unknown[][], width: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) for (let i = 0; i < width; i++) (cols[i] as unknown[]).push(row[i]);
  return cols;
}

/**
 * Everything a transaction's applied units write, gathered and then written with one
 * multi-row statement per kind: actions, entries, counters, awards, revert marks,
 * topics, snapshots, rank counts. Repeated keys are folded first (a counter bumped by
 * two actions is one upsert of the sum; an award taken and freed is its final holder).
 */
export class PostgresBatchWrites {
  private readonly records: ActionRecord[] = [];
  private readonly counters = new Map<string, { cap: string; user: string; day: number; amount: number }>();
  private readonly awards = new Map<string, string | null>();
  private readonly marks = new Map<string, string | null>();
  private readonly topics = new Map<string, Topic>();

  add(fx: Effects): void {
    this.records.push(fx.record);
    for (const c of fx.counters) {
      const key = `${c.cap}\u0000${c.user}\u0000${c.day}`;
      const prev = this.counters.get(key);
      this.counters.set(key, { ...c, amount: (prev?.amount ?? 0) + c.amount });
    }
    for (const key of fx.awardsReleased) this.awards.set(key, null);
    for (const { key, holder } of fx.awardsTaken) this.awards.set(key, holder);
    for (const m of fx.marks) this.marks.set(m.id, m.revertedBy);
    for (const t of fx.topicsCreated) this.topics.set(t.id, t);
  }

  get createdTopics(): boolean {
    return this.topics.size > 0;
  }

  /**
   * Topics this transaction created on first use that a concurrent one created first:
   * the same topic is fine; one under another parent (an admin's) means the entries
   * were decided on the wrong ancestors, so the transaction is decided again.
   */
  private async checkRacedTopics(db: PgQueryable, ours: readonly Topic[]): Promise<void> {
    const { rows } = await db.query<Topic>("SELECT id, parent, depth FROM topics WHERE id = ANY($1::text[])", [ours.map((t) => t.id)]);
    const stored = new Map(rows.map((t) => [t.id, t]));
    for (const t of ours) {
      const s = stored.get(t.id);
      if (s === undefined || s.parent !== t.parent || s.depth !== t.depth) throw new RetryTransaction(`topic "${t.id}" was created meanwhile under another parent`);
    }
  }

  async write(db: PgQueryable, snapshots: readonly Snapshot[], ranks: RankDeltas, now: number): Promise<void> {
    if (this.records.length > 0) {
      await db.query(
        `INSERT INTO actions (id, hash, type, actor, target_type, target_id, target_author, topic, at, data, reverts, reverted_by,
           rules_version, entry_count, outcome, received_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[],
           $10::text[], $11::text[], $12::text[], $13::bigint[], $14::int[], $15::text[], $16::bigint[])`,
        columns(
          this.records.map((r) => actionValues(r, now)),
          16,
        ),
      );
      const entries = this.records.flatMap((r) => r.entries.map(entryValues));
      if (entries.length > 0) {
        await db.query(
          `INSERT INTO entries (action_id, idx, user_id, topic, delta, kind, rule, role, requested, source, reverses_action, reverses_idx,
             rules_version, at)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::bigint[],
             $10::int[], $11::text[], $12::int[], $13::bigint[], $14::bigint[])`,
          columns(entries, 14),
        );
      }
    }
    if (this.counters.size > 0) {
      const c = [...this.counters.values()];
      await db.query(
        `INSERT INTO counters (cap, user_id, day, amount) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
         ON CONFLICT (cap, user_id, day) DO UPDATE SET amount = counters.amount + excluded.amount`,
        [c.map((x) => x.cap), c.map((x) => x.user), c.map((x) => x.day), c.map((x) => x.amount)],
      );
    }
    const freed = [...this.awards].filter(([, h]) => h === null).map(([k]) => k);
    const held = [...this.awards].filter((e): e is [string, string] => e[1] !== null);
    if (freed.length > 0) await db.query("DELETE FROM awards WHERE key = ANY($1::text[])", [freed]);
    if (held.length > 0) {
      await db.query(
        `INSERT INTO awards (key, action_id) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (key) DO UPDATE SET action_id = excluded.action_id`,
        [held.map(([k]) => k), held.map(([, h]) => h)],
      );
    }
    if (this.marks.size > 0) {
      await db.query("UPDATE actions a SET reverted_by = m.rb FROM unnest($1::text[], $2::text[]) AS m (id, rb) WHERE a.id = m.id", [
        [...this.marks.keys()],
        [...this.marks.values()],
      ]);
    }
    if (this.topics.size > 0) {
      const t = [...this.topics.values()];
      if ((await insertTopics(db, t, now)) < t.length) await this.checkRacedTopics(db, t);
      await db.query("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'topics_version'");
    }
    if (snapshots.length > 0) {
      await db.query(
        `INSERT INTO snapshots (user_id, topic, points, pending, peak, period, entries, last_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
         ON CONFLICT (user_id, topic) DO UPDATE SET points = excluded.points, pending = excluded.pending, peak = excluded.peak,
           period = excluded.period, entries = excluded.entries, last_at = excluded.last_at`,
        columns(snapshots.map(snapshotValues), 8),
      );
    }
    await addRankCounts(db, ranks);
  }
}

/** Adds histogram changes to `rank_counts`, one statement for all of them. */
export async function addRankCounts(db: PgQueryable, ranks: RankDeltas): Promise<void> {
  const r = ranks.changes();
  if (r.length === 0) return;
  await db.query(
    `INSERT INTO rank_counts (topic, level, bucket, n) SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[])
     ON CONFLICT (topic, level, bucket) DO UPDATE SET n = rank_counts.n + excluded.n`,
    [r.map((x) => x.topic), r.map((x) => x.level), r.map((x) => x.bucket), r.map((x) => x.delta)],
  );
}
