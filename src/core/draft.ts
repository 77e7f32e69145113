import type { Action } from "./action.js";
import type { Entry } from "./entry.js";
import type { RuleBook } from "./rule-book.js";
import { type Snapshot, addToSnapshot, emptySnapshot, raisePeak, snapshotKey } from "./snapshot.js";
import { type State, counterKey } from "./state.js";
import type { LevelChange, SnapshotChange, Withheld } from "./submit-result.js";
import type { Topic } from "./topic-tree.js";

/** Fields of an entry the caller chooses; the draft fills in the rest. */
export type EntryFields = Pick<Entry, "kind" | "rule" | "role" | "requested" | "source" | "reverses">;

/**
 * One (user, topic) an action touches: its map key (built once), the snapshot before
 * the action, and the snapshot as the draft has it now.
 */
export interface SnapshotSlot {
  key: string;
  before: Snapshot | null;
  now: Snapshot;
  touched: boolean;
}

/** One cap counter an action uses: what the state holds, and what this action adds. */
export interface CounterSlot {
  key: string;
  cap: string;
  user: string;
  day: number;
  base: number;
  amount: number;
}

/**
 * The working copy of one action's decision: entries appended so far and what they
 * did to snapshots, counters and awards. Reads see the state plus this draft, so a
 * second entry for the same total sees the first (floors, caps). Each snapshot and
 * counter is looked up in the state once per action, through its slot.
 */
export class Draft {
  readonly entries: Entry[] = [];
  readonly awardsTaken = new Map<string, string>();
  readonly awardsReleased = new Set<string>();
  readonly marks = new Map<string, string | null>();
  readonly topicsCreated: Topic[] = [];
  readonly cascaded: string[] = [];
  /** Points the action's rules withheld entirely, and why. */
  readonly withheld: Withheld[] = [];
  private readonly slots = new Map<string, SnapshotSlot>();
  private readonly counterSlots = new Map<string, CounterSlot>();

  constructor(
    readonly action: Action,
    readonly book: RuleBook,
    readonly state: State,
  ) {}

  /** A topic by id, topics this draft creates included. */
  topic(id: string): Topic | undefined {
    if (this.topicsCreated.length > 0) {
      const created = this.topicsCreated.find((t) => t.id === id);
      if (created !== undefined) return created;
    }
    return this.state.topic(id);
  }

  /** The slot of a (user, topic): its snapshot before the action and now. */
  slot(user: string, topic: string): SnapshotSlot {
    const key = snapshotKey(user, topic);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      const s = this.state.snapshots.get(key);
      if (s === undefined) throw new Error(`state not loaded: snapshot ${user}/${topic}`);
      slot = { key, before: s, now: s ?? emptySnapshot(user, topic), touched: false };
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** The slot of a cap counter for a user on a day. */
  counter(cap: string, user: string, day: number): CounterSlot {
    const key = counterKey(cap, user, day);
    let slot = this.counterSlots.get(key);
    if (slot === undefined) {
      const base = this.state.counters.get(key);
      if (base === undefined) throw new Error(`state not loaded: counter ${key}`);
      slot = { key, cap, user, day, base, amount: 0 };
      this.counterSlots.set(key, slot);
    }
    return slot;
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

  /** Appends an entry of `delta` to a slot's (user, topic) (skipped when 0) and applies it. */
  credit(slot: SnapshotSlot, delta: number, fields: EntryFields): Entry | null {
    if (delta === 0) return null;
    const s = slot.now;
    const entry: Entry = {
      action: this.action.id,
      idx: this.entries.length,
      user: s.user,
      topic: s.topic,
      delta,
      ...fields,
      rulesVersion: this.book.version,
      at: this.action.at,
    };
    this.entries.push(entry);
    slot.now = addToSnapshot(s, delta, this.action.at, this.book.publication, this.state.watermark);
    slot.touched = true;
    return entry;
  }

  /**
   * Raises each changed snapshot's peak to its total, once every entry is added: the
   * peak is the highest total after an action, so the order of one action's entries
   * (a deletion's penalty and the negations of its votes) cannot make a peak that no
   * action left.
   */
  closePeaks(): void {
    // A touched slot's snapshot is this draft's own (made by `credit`), so it is raised in place.
    for (const slot of this.slots.values()) if (slot.touched) raisePeak(slot.now);
  }

  /** Every snapshot this draft changed, in the order first looked up. */
  touchedSlots(): SnapshotSlot[] {
    const out: SnapshotSlot[] = [];
    for (const slot of this.slots.values()) if (slot.touched) out.push(slot);
    return out;
  }

  /** The counters this draft added to. */
  counterAdds(): CounterSlot[] {
    const out: CounterSlot[] = [];
    for (const slot of this.counterSlots.values()) if (slot.amount > 0) out.push(slot);
    return out;
  }

  /** Before/after of every touched snapshot, and the level changes among them. */
  changes(): { changes: SnapshotChange[]; levels: LevelChange[] } {
    const changes: SnapshotChange[] = [];
    const levels: LevelChange[] = [];
    for (const { before, now: after } of this.touchedSlots()) {
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
