/** The invariants `verify` checks, numbered as in docs/concepts.md. */
export type Invariant =
  | "snapshot-sum" // 1
  | "append-only" // 2
  | "applied-once" // 3
  | "revert-exact" // 4
  | "rebuild-equal" // 5
  | "cap" // 6
  | "floor" // 6
  | "rollup" // 7
  | "rank-counts"
  | "awards";

/** One invariant violation found by `verify`. */
export interface Violation {
  invariant: Invariant;
  message: string;
  details?: Record<string, unknown>;
}
