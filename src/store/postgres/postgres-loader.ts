import type { Keys } from "../../core/keys.js";
import type { State } from "../../core/state.js";
import { type ActionRow, type EntryRow, type SnapshotRow, recordFromRows, snapshotFromRow } from "../rows.js";
import type { PgQueryable } from "./pg-driver.js";
import { locksOf } from "./lock-keys.js";
import { RetryTransaction } from "./retry-transaction.js";

/** The highest advisory lock a transaction holds so far (null: none yet). */
export interface HeldLocks {
  max: bigint | null;
}

/**
 * Locks and loads keys into the root state: one advisory-lock statement (locks in
 * global order), then one query per kind of key (`= ANY` / `unnest`), never one per row.
 *
 * A transaction only ever waits for a lock above every lock it holds, so no two can
 * wait for each other in a cycle (a deadlock, which PostgreSQL breaks only after
 * `deadlock_timeout`, failing one of them). Keys found in a later round (a reverted
 * action's targets, say) may sort below locks already held: those are taken only if
 * they are free; otherwise RetryTransaction, and the next attempt locks every key it
 * knows of first, in one ordered round.
 */
export async function lockAndLoad(db: PgQueryable, keys: Keys, state: State, held: HeldLocks): Promise<void> {
  const locks = locksOf(keys);
  const max = held.max;
  const below = max === null ? [] : locks.filter((l) => BigInt(l) <= max);
  const above = max === null ? locks : locks.filter((l) => BigInt(l) > max);
  if (below.length > 0) {
    const { rows } = await db.query<{ free: boolean }>("SELECT bool_and(pg_try_advisory_xact_lock(k)) AS free FROM unnest($1::bigint[]) AS k", [below]);
    if (rows[0]?.free !== true) throw new RetryTransaction("a key found after the first round of locks is held by another transaction");
  }
  if (above.length > 0) {
    await db.query("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k", [above]);
    held.max = BigInt(above[above.length - 1] as string);
  }

  if (keys.actions.length > 0) {
    const { rows } = await db.query<ActionRow>("SELECT * FROM actions WHERE id = ANY($1::text[])", [keys.actions]);
    const found = rows.map((r) => r.id);
    const entries = new Map<string, EntryRow[]>();
    if (found.length > 0) {
      const e = await db.query<EntryRow>("SELECT * FROM entries WHERE action_id = ANY($1::text[]) ORDER BY action_id, idx", [found]);
      for (const row of e.rows) {
        const list = entries.get(row.action_id) ?? [];
        list.push(row);
        entries.set(row.action_id, list);
      }
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of keys.actions) {
      const row = byId.get(id);
      state.loadAction(id, row === undefined ? null : recordFromRows(row, entries.get(id) ?? []));
    }
  }

  if (keys.snapshots.length > 0) {
    const { rows } = await db.query<SnapshotRow>(
      "SELECT s.* FROM snapshots s JOIN unnest($1::text[], $2::text[]) AS k (u, t) ON s.user_id = k.u AND s.topic = k.t",
      [keys.snapshots.map((k) => k.user), keys.snapshots.map((k) => k.topic)],
    );
    const found = new Map(rows.map((r) => [`${r.user_id}\u0000${r.topic}`, r]));
    for (const { user, topic } of keys.snapshots) {
      const row = found.get(`${user}\u0000${topic}`);
      state.loadSnapshot(user, topic, row === undefined ? null : snapshotFromRow(row));
    }
  }

  if (keys.counters.length > 0) {
    const { rows } = await db.query<{ cap: string; user_id: string; day: number; amount: number }>(
      "SELECT c.* FROM counters c JOIN unnest($1::text[], $2::text[], $3::bigint[]) AS k (c, u, d) ON c.cap = k.c AND c.user_id = k.u AND c.day = k.d",
      [keys.counters.map((k) => k.cap), keys.counters.map((k) => k.user), keys.counters.map((k) => k.day)],
    );
    const found = new Map(rows.map((r) => [`${r.cap}\u0000${r.user_id}\u0000${Number(r.day)}`, Number(r.amount)]));
    for (const { cap, user, day } of keys.counters) state.loadCounter(cap, user, day, found.get(`${cap}\u0000${user}\u0000${day}`) ?? 0);
  }

  if (keys.awards.length > 0) {
    const { rows } = await db.query<{ key: string; action_id: string }>("SELECT key, action_id FROM awards WHERE key = ANY($1::text[])", [keys.awards]);
    const found = new Map(rows.map((r) => [r.key, r.action_id]));
    for (const key of keys.awards) state.loadAward(key, found.get(key) ?? null);
  }

  if (keys.targets.length > 0) {
    const { rows } = await db.query<{ target_type: string; target_id: string; id: string }>(
      `SELECT a.target_type, a.target_id, a.id FROM actions a JOIN unnest($1::text[], $2::text[]) AS k (tt, ti)
         ON a.target_type = k.tt AND a.target_id = k.ti ORDER BY a.seq`,
      [keys.targets.map((k) => k.type), keys.targets.map((k) => k.id)],
    );
    const found = new Map<string, string[]>();
    for (const r of rows) {
      const key = `${r.target_type}\u0000${r.target_id}`;
      const list = found.get(key) ?? [];
      list.push(r.id);
      found.set(key, list);
    }
    for (const { type, id } of keys.targets) state.loadTarget(type, id, found.get(`${type}\u0000${id}`) ?? []);
  }
}

/** Keys of `hint` the state has not loaded. */
export function missingFrom(hint: Keys, state: State): Keys {
  return {
    actions: hint.actions.filter((id) => state.action(id) === undefined),
    snapshots: hint.snapshots.filter((k) => state.snapshot(k.user, k.topic) === undefined),
    counters: hint.counters.filter((k) => state.counter(k.cap, k.user, k.day) === undefined),
    awards: hint.awards.filter((k) => state.award(k) === undefined),
    targets: hint.targets.filter((k) => state.targetActions(k.type, k.id) === undefined),
  };
}
