import type { Effects } from "../../core/decide.js";
import type { Keys } from "../../core/keys.js";
import { snapshotKey } from "../../core/snapshot.js";
import { type State, counterKey } from "../../core/state.js";
import { type SnapshotRow, actionValues, entryValues, snapshotFromRow } from "../rows.js";
import { readAction } from "./sqlite-reads.js";
import type { SqliteStateCache } from "./sqlite-state-cache.js";
import type { SqliteStatements } from "./sqlite-statements.js";

// What a submit transaction reads and writes, on the store's prepared statements: one
// statement per key read and per row written. Snapshots and rank counts are written once
// per transaction by the store.

/** Loads keys into the root state: from the state cache when it has them, else one prepared statement per key. */
export function loadKeys(st: SqliteStatements, cache: SqliteStateCache, keys: Keys, state: State): void {
  for (const id of keys.actions) state.loadAction(id, readAction(st, id));
  for (const { user, topic } of keys.snapshots) {
    const hit = cache.snapshots.get(snapshotKey(user, topic));
    if (hit !== undefined) {
      state.loadSnapshot(user, topic, hit);
      continue;
    }
    const row = st.snapshotGet.get(user, topic) as SnapshotRow | undefined;
    state.loadSnapshot(user, topic, row === undefined ? null : snapshotFromRow(row));
  }
  for (const { cap, user, day } of keys.counters) {
    const hit = cache.counters.get(counterKey(cap, user, day));
    state.loadCounter(cap, user, day, hit ?? (st.counterGet.get(cap, user, day) as number | undefined) ?? 0);
  }
  for (const key of keys.awards) {
    const hit = cache.awards.get(key);
    state.loadAward(key, hit !== undefined ? hit : ((st.awardGet.get(key) as string | undefined) ?? null));
  }
  for (const { type, id } of keys.targets) state.loadTarget(type, id, st.actionsByTarget.all(type, id) as string[]);
}

/** Writes one applied action's rows: the action, its entries, counters, awards, reverted marks and new topics. */
export function writeEffects(st: SqliteStatements, fx: Effects, now: number): void {
  st.insertAction.run(...actionValues(fx.record, now));
  for (const e of fx.record.entries) st.insertEntry.run(...entryValues(e));
  for (const c of fx.counters) st.addCounter.run(c.cap, c.user, c.day, c.amount);
  for (const key of fx.awardsReleased) st.deleteAward.run(key);
  for (const { key, holder } of fx.awardsTaken) st.putAward.run(key, holder);
  for (const m of fx.marks) st.markReverted.run(m.revertedBy, m.id);
  for (const t of fx.topicsCreated) st.insertTopic.run(t.id, t.parent, t.depth, now);
}
