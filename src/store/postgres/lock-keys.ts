import { hash } from "node:crypto";
import type { Keys } from "../../core/keys.js";
import { snapshotKey } from "../../core/snapshot.js";
import { counterKey, targetKey } from "../../core/state.js";

/**
 * The 64-bit advisory lock of a key. Every key a transaction loads is locked first,
 * existing rows and absent ones alike, so two transactions never decide on the same
 * snapshot, counter, award or action at once. A collision only serialises two
 * unrelated keys; it never lets two transactions share one.
 */
export function lockOf(kind: string, key: string): bigint {
  return hash("md5", `${kind}\u0000${key}`, "buffer").readBigInt64BE(0);
}

/** Publication and rebuild take this exclusively; submits share it. */
export const PUBLISH_LOCK = lockOf("global", "publish");

/** The locks of a set of keys, sorted: every transaction takes locks in this one global order. */
export function locksOf(keys: Keys): string[] {
  const locks: bigint[] = [];
  for (const id of keys.actions) locks.push(lockOf("action", id));
  for (const { user, topic } of keys.snapshots) locks.push(lockOf("snapshot", snapshotKey(user, topic)));
  for (const { cap, user, day } of keys.counters) locks.push(lockOf("counter", counterKey(cap, user, day)));
  for (const key of keys.awards) locks.push(lockOf("award", key));
  for (const { type, id } of keys.targets) locks.push(lockOf("target", targetKey(type, id)));
  const unique = [...new Set(locks)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return unique.map(String);
}
