import { Journal, Layer } from "./layer.js";
import { type Snapshot, snapshotKey } from "./snapshot.js";
import type { ActionRecord } from "./submit-result.js";
import type { Topic, TopicTree } from "./topic-tree.js";

/** The map key of a cap counter. */
export function counterKey(cap: string, user: string, day: number): string {
  return `${cap}\u0000${user}\u0000${day}`;
}

/** The map key of an action target. */
export function targetKey(type: string, id: string): string {
  return `${type}\u0000${id}`;
}

/**
 * The state decisions read: exactly what the store loaded for the keys of the
 * actions at hand, plus what earlier actions of the same transaction changed.
 * Reads return `undefined` for a key that was never loaded, `null` (or 0 for a
 * counter) for one that was loaded and does not exist.
 *
 * `fork()` gives a child for one unit of work; `commit()` folds it into its parent.
 * Loads always land in the root: they are facts about the database, not decisions.
 */
export class State {
  readonly actions: Layer<ActionRecord | null>;
  readonly snapshots: Layer<Snapshot | null>;
  readonly counters: Layer<number>;
  readonly awards: Layer<string | null>;
  /** Action ids per target as loaded from the database. */
  readonly targetsLoaded: Layer<readonly string[]>;
  /** Action ids per target added by decisions of this transaction. */
  readonly targetsAdded: Layer<readonly string[]>;
  readonly topicsAdded: Layer<Topic>;
  private readonly root: State;
  /** Undo records of this state's own layers (see `begin`). */
  private readonly journal = new Journal();

  constructor(
    readonly tree: TopicTree,
    /** The publication period the store has published through. */
    readonly watermark: number,
    parent: State | null = null,
  ) {
    this.root = parent?.root ?? this;
    const j = this.journal;
    this.actions = new Layer(parent?.actions ?? null, j);
    this.snapshots = new Layer(parent?.snapshots ?? null, j);
    this.counters = new Layer(parent?.counters ?? null, j);
    this.awards = new Layer(parent?.awards ?? null, j);
    this.targetsLoaded = new Layer(parent?.targetsLoaded ?? null, j);
    this.targetsAdded = new Layer(parent?.targetsAdded ?? null, j);
    this.topicsAdded = new Layer(parent?.topicsAdded ?? null, j);
  }

  /**
   * Opens an undo journal on this state: decide a unit of work on it directly, then
   * `keep()` its changes or `undo()` them. Cheaper than `fork()` (no read-through), for
   * stores that load synchronously, so nothing else touches the state meanwhile.
   */
  begin(): void {
    this.journal.close();
    this.journal.open = true;
  }

  /** Keeps what changed since `begin()`. */
  keep(): void {
    this.journal.close();
  }

  /** Undoes everything since `begin()`, loads included (they are simply loaded again). */
  undo(): void {
    this.journal.rollback();
  }

  /** A child state for one unit of work. */
  fork(): State {
    return new State(this.tree, this.watermark, this);
  }

  /** Folds this child's changes into its parent. */
  commit(): void {
    for (const layer of [this.actions, this.snapshots, this.counters, this.awards, this.targetsLoaded, this.targetsAdded, this.topicsAdded]) {
      (layer as Layer<unknown>).commit();
    }
  }

  action(id: string): ActionRecord | null | undefined {
    return this.actions.get(id);
  }

  snapshot(user: string, topic: string): Snapshot | null | undefined {
    return this.snapshots.get(snapshotKey(user, topic));
  }

  counter(cap: string, user: string, day: number): number | undefined {
    return this.counters.get(counterKey(cap, user, day));
  }

  award(key: string): string | null | undefined {
    return this.awards.get(key);
  }

  /** Every action id on a target, loaded and added, oldest first; undefined when not loaded. */
  targetActions(type: string, id: string): readonly string[] | undefined {
    const key = targetKey(type, id);
    const loaded = this.targetsLoaded.get(key);
    if (loaded === undefined) return undefined;
    const added = this.targetsAdded.get(key);
    if (added === undefined) return loaded;
    const seen = new Set(loaded);
    return [...loaded, ...added.filter((a) => !seen.has(a))];
  }

  topic(id: string): Topic | undefined {
    return this.topicsAdded.get(id) ?? this.tree.get(id);
  }

  // Loads: facts from the database, always into the root.

  loadAction(id: string, record: ActionRecord | null): void {
    this.root.actions.set(id, record);
  }

  loadSnapshot(user: string, topic: string, snapshot: Snapshot | null): void {
    this.root.snapshots.set(snapshotKey(user, topic), snapshot);
  }

  loadCounter(cap: string, user: string, day: number, amount: number): void {
    this.root.counters.set(counterKey(cap, user, day), amount);
  }

  loadAward(key: string, holder: string | null): void {
    this.root.awards.set(key, holder);
  }

  loadTarget(type: string, id: string, actionIds: readonly string[]): void {
    this.root.targetsLoaded.set(targetKey(type, id), actionIds);
  }
}
