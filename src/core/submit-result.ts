import type { Action } from "./action.js";
import type { Entry, EntryKind } from "./entry.js";
import type { Role } from "./rules/rule.js";

/** A snapshot before and after an action, as stored (published / pending). */
export interface SnapshotChange {
  user: string;
  topic: string;
  before: { points: number; pending: number };
  after: { points: number; pending: number };
}

/** A (user, topic) that moved to another level. */
export interface LevelChange {
  user: string;
  topic: string;
  from: string;
  to: string;
}

/**
 * Why a rule gave a user nothing: `once` — an earlier action (`holder`) holds the
 * once-award; `self` — the actor is the author and the rule ignores that; `cap` — the
 * user's daily cap was already full; `floor` — the points would have taken the user
 * below the floor; `topic` — the rule needs a topic and the action names none.
 */
export type WithheldWhy = "once" | "self" | "cap" | "floor" | "topic";

/** Points a rule would have given a user and withheld entirely, as stored with the action. */
export interface Withheld {
  rule: string;
  user: string;
  role: Role;
  points: number;
  why: WithheldWhy;
  /** For `once`: the action that holds the award. */
  holder: string | null;
  /**
   * For `floor`, when the award itself went through: the ancestor's or `global`'s total
   * that the floor kept as it was (its copy, `points`, was all below the floor).
   */
  topic?: string;
}

/** What an applied action did beyond its entries; stored with it for replays and reverts. */
export interface Outcome {
  changes: SnapshotChange[];
  levels: LevelChange[];
  /** Once-award keys this action took. */
  awards: string[];
  /** Actions this action reverted through `revertsOnTarget`. */
  cascaded: string[];
  /** Points its rules withheld; absent when none were (and on actions stored before it existed). */
  withheld?: Withheld[];
}

/** An action as the engine keeps it: the action, its entries and outcome, whether it was reverted. */
export interface ActionRecord {
  action: Action;
  hash: string;
  revertedBy: string | null;
  rulesVersion: number;
  entries: Entry[];
  outcome: Outcome;
}

/** One entry of a submit result or history page, with a human-readable reason. */
export interface AppliedEntry {
  user: string;
  topic: string;
  delta: number;
  kind: EntryKind;
  rule: string | null;
  role: Role | null;
  requested: number | null;
  reason: string;
}

/** Points withheld, with a human-readable reason. */
export interface WithheldPoints extends Withheld {
  reason: string;
}

/**
 * The result of one submitted action: the entries it applied, the snapshots it
 * changed, the level changes it caused and the points its rules withheld. `replay` is
 * true when the action id was seen before with the same content; the result is then
 * the original one.
 */
export interface SubmitResult {
  action: string;
  replay: boolean;
  entries: AppliedEntry[];
  changes: SnapshotChange[];
  levels: LevelChange[];
  withheld: WithheldPoints[];
}
