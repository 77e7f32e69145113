import type { Action } from "./action.js";
import type { Entry } from "./entry.js";
import type { RuleBook } from "./rule-book.js";
import { type Snapshot, addToSnapshot, emptySnapshot, snapshotKey } from "./snapshot.js";
import { type State, counterKey } from "./state.js";
import type { LevelChange, SnapshotChange } from "./submit-result.js";
import type { Topic } from "./topic-tree.js";

/** Fields of an entry the caller chooses; the draft fills in the rest. */
export type EntryFields = Pick<Entry, "kind" | "rule" | "role" | "requested" | "source" | "reverses">;

/**
 * The working copy of one action's decision: entries appended so far and what they
 * did to snapshots, counters and awards. Reads see the state plus this draft, so a
 * second entry for the same total sees the first (floors, caps).
 */
export class Draft {
  readonly entries: Entry[] = [];
  readonly counterAdds = new Map<string, { cap: string; user: string; day: number; amount: number }>();
  readonly awardsTaken = new Map<string, string>();
  readonly awardsReleased = new Set<string>();
  readonly marks = new Map<string, string | null>();
  readonly topicsCreated: Topic[] = [];
  readonly cascaded: string[] = [];
  private readonly touched = new Map<string, { before: Snapshot | null; after: Snapshot }>();

  constructor(
    readonly action: Action,
    readonly book: RuleBook,
    readonly state: State,
  ) {}

  /** A topic by id, topics this draft creates included. */
  topic(id: string): Topic | undefined {
    return this.topicsCreated.find((t) => t.id === id) ?? this.state.topic(id);
  }

  /** The current snapshot of a (user, topic), this draft included. */
  snapshot(user: string, topic: string): Snapshot {
    const key = snapshotKey(user, topic);
    const t = this.touched.get(key);
    if (t !== undefined) return t.after;
    const s = this.state.snapshot(user, topic);
    if (s === undefined) throw new Error(`state not loaded: snapshot ${user}/${topic}`);
    return s ?? emptySnapshot(user, topic);
  }

  /** points + pending of a (user, topic). */
  total(user: string, topic: string): number {
    const s = this.snapshot(user, topic);
    return s.points + s.pending;
  }

  /** What a cap group already gave a user on a day, this draft included. */
  counter(cap: string, user: string, day: number): number {
    const key = counterKey(cap, user, day);
    const base = this.state.counter(cap, user, day);
    if (base === undefined) throw new Error(`state not loaded: counter ${key}`);
    return base + (this.counterAdds.get(key)?.amount ?? 0);
  }

  addCounter(cap: string, user: string, day: number, amount: number): void {
    if (amount <= 0) return;
    const key = counterKey(cap, user, day);
    const prev = this.counterAdds.get(key);
    this.counterAdds.set(key, { cap, user, day, amount: (prev?.amount ?? 0) + amount });
  }

  /** Who holds a once-award now, this draft included. */
  awardHolder(key: string): string | null {
    const taken = this.awardsTaken.get(key);
    if (taken !== undefined) return taken;
    if (this.awardsReleased.has(key)) return null;
    const holder = this.state.award(key);
    if (holder === undefined) throw new Error(`state not loaded: award ${key}`);
    return holder;
  }

  takeAward(key: string, holder: string): void {
    this.awardsReleased.delete(key);
    this.awardsTaken.set(key, holder);
  }

  releaseAward(key: string): void {
    this.awardsTaken.delete(key);
    this.awardsReleased.add(key);
  }

  /** Appends an entry of `delta` (skipped when 0) and applies it to the snapshot. */
  credit(user: string, topic: string, delta: number, fields: EntryFields): Entry | null {
    if (delta === 0) return null;
    const entry: Entry = {
      action: this.action.id,
      idx: this.entries.length,
      user,
      topic,
      delta,
      ...fields,
      rulesVersion: this.book.version,
      at: this.action.at,
    };
    this.entries.push(entry);
    const key = snapshotKey(user, topic);
    const prev = this.touched.get(key);
    const before = prev === undefined ? (this.state.snapshot(user, topic) ?? null) : prev.before;
    const current = prev?.after ?? before ?? emptySnapshot(user, topic);
    const after = addToSnapshot(current, delta, this.action.at, this.book.publication, this.state.watermark);
    this.touched.set(key, { before, after });
    return entry;
  }

  /** Snapshots after this draft, in the order first touched. */
  snapshotsAfter(): Snapshot[] {
    return [...this.touched.values()].map((t) => t.after);
  }

  /** Before/after of every touched snapshot, and the level changes among them. */
  changes(): { changes: SnapshotChange[]; levels: LevelChange[] } {
    const changes: SnapshotChange[] = [];
    const levels: LevelChange[] = [];
    for (const { before, after } of this.touched.values()) {
      const b = { points: before?.points ?? 0, pending: before?.pending ?? 0 };
      changes.push({ user: after.user, topic: after.topic, before: b, after: { points: after.points, pending: after.pending } });
      const ladder = this.book.ladder(after.topic);
      const from = ladder.levelFor(b.points).name;
      const to = ladder.levelFor(after.points).name;
      if (from !== to) levels.push({ user: after.user, topic: after.topic, from, to });
    }
    return { changes, levels };
  }
}
