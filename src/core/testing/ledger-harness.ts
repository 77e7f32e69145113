import { type ActionInput, actionInputSchema, normalizeAction } from "../action.js";
import { decide } from "../decide.js";
import { evolve } from "../evolve.js";
import { missingKeys, noKeys } from "../keys.js";
import { RuleBook } from "../rule-book.js";
import { type ReputeConfigInput, parseConfig } from "../rules/repute-config.js";
import { emptySnapshot } from "../snapshot.js";
import { State } from "../state.js";
import type { SubmitResult } from "../submit-result.js";
import { TopicTree } from "../topic-tree.js";
import { parseOrThrow } from "../validate.js";

/**
 * The pure core with its state in memory, for unit tests: every key a decision
 * needs that was never written is "loaded" as absent. No database, no clock.
 */
export class LedgerHarness {
  readonly book: RuleBook;
  readonly state: State;
  now: number;

  constructor(config: ReputeConfigInput, now = Date.parse("2026-11-20T10:00:00Z")) {
    const parsed = parseConfig(config);
    this.book = new RuleBook(parsed, 1);
    const tree = new TopicTree();
    for (const t of tree.planAll(parsed.topics.tree)) tree.insert(t);
    this.state = new State(tree, 0);
    this.now = now;
  }

  /** Decides and applies one action, as a store would (without the database). */
  submit(input: ActionInput): SubmitResult {
    const parsed = parseOrThrow(actionInputSchema, input, "action");
    const { action, canonical } = normalizeAction(parsed, this.now);
    const sub = { action, hash: canonical, dated: parsed.at !== undefined, refused: this.book.refusal(action) };
    for (let keys = missingKeys([sub], this.book, this.state); !noKeys(keys); keys = missingKeys([sub], this.book, this.state)) {
      for (const id of keys.actions) this.state.loadAction(id, null);
      for (const { user, topic } of keys.snapshots) this.state.loadSnapshot(user, topic, null);
      for (const { cap, user, day } of keys.counters) this.state.loadCounter(cap, user, day, 0);
      for (const key of keys.awards) this.state.loadAward(key, null);
      for (const { type, id } of keys.targets) this.state.loadTarget(type, id, []);
    }
    const d = decide(sub, this.book, this.state);
    if (d.kind === "replay") return d.result;
    evolve(this.state, d.effects);
    return d.effects.result;
  }

  /** Published points of a (user, topic). */
  points(user: string, topic = "global"): number {
    return (this.state.snapshot(user, topic) ?? emptySnapshot(user, topic)).points;
  }

  /** Pending points of a (user, topic). */
  pending(user: string, topic = "global"): number {
    return (this.state.snapshot(user, topic) ?? emptySnapshot(user, topic)).pending;
  }

  /** points + pending. */
  total(user: string, topic = "global"): number {
    return this.points(user, topic) + this.pending(user, topic);
  }
}
