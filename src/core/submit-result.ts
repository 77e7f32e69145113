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

/** What an applied action did beyond its entries; stored with it for replays and reverts. */
export interface Outcome {
  changes: SnapshotChange[];
  levels: LevelChange[];
  /** Once-award keys this action took. */
  awards: string[];
  /** Actions this action reverted through `revertsOnTarget`. */
  cascaded: string[];
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

/**
 * The result of one submitted action: the entries it applied, the snapshots it
 * changed and the level changes it caused. `replay` is true when the action id was
 * seen before with the same content; the result is then the original one.
 */
export interface SubmitResult {
  action: string;
  replay: boolean;
  entries: AppliedEntry[];
  changes: SnapshotChange[];
  levels: LevelChange[];
}
