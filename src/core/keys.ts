import { ADJUST, type Action, REVERT, adjustment } from "./action.js";
import { capDay } from "./caps.js";
import type { ReputeError } from "./errors.js";
import { GLOBAL_TOPIC } from "./ids.js";
import { type Reach, reach } from "./rollup.js";
import type { RuleBook } from "./rule-book.js";
import { type Rule, lacksTopic, payees } from "./rules/rule.js";
import { snapshotKey } from "./snapshot.js";
import { type State, counterKey, targetKey } from "./state.js";
import { type Topic, ancestorsOf } from "./topic-tree.js";

/** An action to decide, with the canonical form idempotency compares. */
export interface Submission {
  action: Action;
  hash: string;
  /**
   * The action named its own `at`. Without one it is dated when it was received, and a
   * revert so dated that would come before the action it reverts (a clock stepped back,
   * or the action dated ahead within the allowed skew) is dated at that action's time.
   */
  dated: boolean;
  /**
   * Why the configuration refuses the action (an unknown action or target type):
   * reported when it is decided, unless its id is a replay, which answers as ever.
   */
  refused?: ReputeError | undefined;
}

/** State a store must load before deciding: only keys not loaded yet. */
export interface Keys {
  actions: string[];
  snapshots: Array<{ user: string; topic: string }>;
  counters: Array<{ cap: string; user: string; day: number }>;
  awards: string[];
  targets: Array<{ type: string; id: string }>;
}

/**
 * The once-award key of a rule for an action, or null when the rule has no once
 * policy; rules of one `onceGroup` share their keys. Award keys are stored, so they
 * are joined with U+001F (ids cannot contain control characters, and PostgreSQL text
 * cannot hold NUL).
 */
export function awardKey(rule: Rule, action: Action): string | null {
  if (rule.once === undefined) return null;
  const group = rule.onceGroup ?? rule.id;
  if (rule.once === "topic") return [group, action.actor, "topic", action.topic ?? GLOBAL_TOPIC].join("\u001f");
  if (action.target === undefined) return null;
  return [group, action.actor, action.target.type, action.target.id].join("\u001f");
}

/**
 * The topics an award in `topic` reaches; `lookup` resolves topic ids (a batch may
 * see topics it is creating). Cached per rule book for topics of the stored tree:
 * a topic's ancestors never change once it exists.
 */
export function reachOf(topic: string, book: RuleBook, state: State, lookup: (id: string) => Topic | undefined = (id) => state.topic(id)): Reach[] {
  const cached = book.reachCache.get(topic);
  if (cached !== undefined) return cached;
  const out = reach(topic, ancestorsOf(topic, lookup), book.rollup, book.global, GLOBAL_TOPIC);
  if (state.tree.has(topic)) book.reachCache.set(topic, out);
  return out;
}

/** Missing keys, and whether loading them settles the actions (nothing more will be missing). */
export interface MissingKeys extends Keys {
  /**
   * False when some keys could not be known yet: a revert's snapshots are known once
   * the reverted action is loaded, a deletion's once the target's actions are.
   */
  settled: boolean;
}

/**
 * The keys the given actions need that `state` has not loaded. A store loads them,
 * and asks again while they were not `settled`.
 */
export function missingKeys(submissions: readonly Submission[], book: RuleBook, state: State): MissingKeys {
  const k = new Collector(state);
  for (const { action, refused } of submissions) {
    if (refused === undefined) collect(action, book, state, k);
    else k.action(action.id); // refused unless it is a replay: only its id is needed
  }
  return { ...k.keys, settled: k.settled };
}

/** True when nothing is missing. */
export function noKeys(keys: Keys): boolean {
  return keys.actions.length + keys.snapshots.length + keys.counters.length + keys.awards.length + keys.targets.length === 0;
}

function collect(a: Action, book: RuleBook, state: State, k: Collector): void {
  k.action(a.id);
  const existing = state.action(a.id);
  if (existing !== undefined && existing !== null) return; // a replay needs nothing else
  if (a.type === REVERT) {
    const id = a.reverts as string;
    k.action(id);
    const reverted = state.action(id);
    if (reverted === undefined) k.settled = false;
    else if (reverted) {
      k.record(reverted.entries, reverted.outcome.awards, reverted.outcome.cascaded);
      // Reverted already: by a deletion, whose negations a retraction takes over.
      if (reverted.revertedBy !== null) k.action(reverted.revertedBy);
    }
    return;
  }
  const topic = a.topic ?? GLOBAL_TOPIC;
  if (a.type === ADJUST) {
    if (adjustment(a).points !== 0 && a.target !== undefined) for (const r of reachOf(topic, book, state)) k.snapshot(a.target.id, r.topic);
    return;
  }
  const day = capDay(a.at);
  const topics = reachOf(topic, book, state);
  const cascade = new Set<string>();
  for (const rule of book.rulesFor(a)) {
    if (lacksTopic(rule, a.topic)) continue;
    for (const p of payees(rule, a.actor, a.target?.author)) {
      for (const r of topics) k.snapshot(p.user, r.topic);
      if (rule.cap !== undefined) k.counter(rule.cap, p.user, day);
    }
    const award = awardKey(rule, a);
    if (award !== null) k.award(award);
    for (const t of rule.revertsOnTarget ?? []) cascade.add(t);
  }
  if (cascade.size > 0 && a.target !== undefined) {
    k.target(a.target.type, a.target.id);
    const ids = state.targetActions(a.target.type, a.target.id);
    if (ids === undefined) k.settled = false;
    for (const id of ids ?? []) {
      if (id === a.id) continue;
      k.action(id);
      const rec = state.action(id);
      if (rec === undefined) k.settled = false;
      else if (rec && rec.revertedBy === null && cascade.has(rec.action.type)) k.record(rec.entries, rec.outcome.awards, []);
    }
  }
}

class Collector {
  readonly keys: Keys = { actions: [], snapshots: [], counters: [], awards: [], targets: [] };
  settled = true;
  private readonly seen = { actions: new Set<string>(), snapshots: new Set<string>(), counters: new Set<string>(), awards: new Set<string>(), targets: new Set<string>() };

  constructor(private readonly state: State) {}

  action(id: string): void {
    if (this.state.actions.get(id) === undefined && !this.seen.actions.has(id)) {
      this.seen.actions.add(id);
      this.keys.actions.push(id);
    }
  }

  snapshot(user: string, topic: string): void {
    const key = snapshotKey(user, topic);
    if (this.state.snapshots.get(key) === undefined && !this.seen.snapshots.has(key)) {
      this.seen.snapshots.add(key);
      this.keys.snapshots.push({ user, topic });
    }
  }

  counter(cap: string, user: string, day: number): void {
    const key = counterKey(cap, user, day);
    if (this.state.counters.get(key) === undefined && !this.seen.counters.has(key)) {
      this.seen.counters.add(key);
      this.keys.counters.push({ cap, user, day });
    }
  }

  award(key: string): void {
    if (this.state.awards.get(key) === undefined && !this.seen.awards.has(key)) {
      this.seen.awards.add(key);
      this.keys.awards.push(key);
    }
  }

  target(type: string, id: string): void {
    const key = targetKey(type, id);
    if (this.state.targetActions(type, id) === undefined && !this.seen.targets.has(key)) {
      this.seen.targets.add(key);
      this.keys.targets.push({ type, id });
    }
  }

  /** What reverting a recorded action touches: its entries' snapshots, its awards, what it cascaded. */
  record(entries: readonly { user: string; topic: string }[], awards: readonly string[], cascaded: readonly string[]): void {
    for (const e of entries) this.snapshot(e.user, e.topic);
    for (const key of awards) this.award(key);
    for (const id of cascaded) {
      this.action(id);
      const rec = this.state.action(id);
      if (rec === undefined) this.settled = false;
      else if (rec) for (const key of rec.outcome.awards) this.award(key);
    }
  }
}
