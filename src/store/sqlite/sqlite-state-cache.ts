import type { Snapshot } from "../../core/snapshot.js";
import type { State } from "../../core/state.js";

/** Entries kept at most; past it the cache starts over (it only saves reads). */
const MAX_ENTRIES = 200_000;

/**
 * Committed state this connection has read or written — snapshots, cap counters and
 * once-awards, by their state keys — kept across transactions for as long as no other
 * connection commits. SQLite's `PRAGMA data_version` changes exactly when another
 * connection has committed, so checking it at the start of each write transaction
 * (which holds the write lock) tells whether everything here is still the database's
 * truth. After a commit the transaction's final state is absorbed; after a failure,
 * a rebuild or a publication the cache is simply dropped.
 */
export class SqliteStateCache {
  private version: number | null = null;
  readonly snapshots = new Map<string, Snapshot | null>();
  readonly counters = new Map<string, number>();
  readonly awards = new Map<string, string | null>();

  /** Whether the cache still holds for this data version; drops it when not. */
  validate(dataVersion: number): boolean {
    if (dataVersion === this.version) return true;
    this.clear();
    this.version = dataVersion;
    return false;
  }

  /** Forgets everything (and the version), so the next transaction reads afresh. */
  clear(): void {
    this.version = null;
    this.snapshots.clear();
    this.counters.clear();
    this.awards.clear();
  }

  /** Keeps a committed transaction's final state: everything it loaded and wrote. */
  absorb(state: State): void {
    for (const [k, v] of state.snapshots.own()) this.snapshots.set(k, v);
    for (const [k, v] of state.counters.own()) this.counters.set(k, v);
    for (const [k, v] of state.awards.own()) this.awards.set(k, v);
    if (this.snapshots.size + this.counters.size + this.awards.size > MAX_ENTRIES) {
      const version = this.version;
      this.clear();
      this.version = version;
    }
  }
}
