import type { Role } from "./rules/rule.js";

/**
 * Why an entry exists: `rule` — a rule's award to a user in the action's topic;
 * `rollup` — an ancestor's share of a `rule` or `adjust` entry; `global` — the
 * global total's copy of one; `revert` — the exact negation of an earlier entry;
 * `adjust` — a manual change.
 */
export type EntryKind = "rule" | "rollup" | "global" | "revert" | "adjust";

/**
 * One applied point change in the ledger; never updated, never deleted. Entries
 * are identified by (action, idx): the action that applied them and their position.
 */
export interface Entry {
  action: string;
  idx: number;
  user: string;
  topic: string;
  delta: number;
  kind: EntryKind;
  /** The rule that awarded it (for a revert: the reverted entry's rule). */
  rule: string | null;
  role: Role | null;
  /** What the rule asked for, when a cap or the floor applied less; else null. */
  requested: number | null;
  /** For rollup and global entries: the idx of the entry they derive from. */
  source: number | null;
  /** For revert entries: the entry negated. */
  reverses: { action: string; idx: number } | null;
  rulesVersion: number;
  /** Epoch ms: the time of the action that applied it. */
  at: number;
}
