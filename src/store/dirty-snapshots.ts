import type { Effects } from "../core/decide.js";
import type { Snapshot } from "../core/snapshot.js";
import { RankDeltas } from "./rank-buckets.js";

/**
 * The snapshots a transaction changed, each with its value before the transaction
 * (the before-value of the first action that touched it), so a store writes each
 * once at the end and moves the rank histogram from the old points to the new.
 */
export class DirtySnapshots {
  private readonly before = new Map<string, Snapshot | null>();
  private readonly after = new Map<string, Snapshot>();

  /** Notes what an applied action changed. */
  note(fx: Effects): void {
    fx.snapshots.forEach((s, i) => {
      const key = fx.snapshotKeys[i] as string;
      if (!this.before.has(key)) this.before.set(key, fx.before[i] ?? null);
      this.after.set(key, s);
    });
  }

  /** The final snapshots, and the histogram changes from their values before the transaction. */
  final(): { snapshots: Snapshot[]; ranks: RankDeltas } {
    const ranks = new RankDeltas();
    const snapshots: Snapshot[] = [];
    for (const [key, s] of this.after) {
      snapshots.push(s);
      const before = this.before.get(key) ?? null;
      ranks.move(s.topic, before === null ? null : before.points, s.points);
    }
    return { snapshots, ranks };
  }
}
