import { type Decision, type Effects, decide } from "../core/decide.js";
import { ReputeError, isReputeError } from "../core/errors.js";
import { evolve } from "../core/evolve.js";
import { type Keys, type Submission, missingKeys, noKeys } from "../core/keys.js";
import type { RuleBook } from "../core/rule-book.js";
import type { State } from "../core/state.js";
import type { SubmitResult } from "../core/submit-result.js";

/** A unit decided on a child state: commit the state and write the effects, or drop both. */
export interface DecidedUnit {
  state: State;
  effects: Effects[];
  results: SubmitResult[];
}

/** Rounds of loading one action may need: its own keys, a reverted action's, a cascade's. */
const MAX_ROUNDS = 6;

/**
 * How a unit is kept apart from the others of its transaction: on a `fork` (dropped
 * if it fails; the caller commits it otherwise), on the parent with an undo
 * `journal` (undone in place if it fails; only for stores that load synchronously),
 * or not at all (`none`: the caller drops the whole state if the unit fails).
 */
export type Isolation = "fork" | "journal" | "none";

/**
 * Decides a unit of actions in order. Before each action, `ensure` is given the keys
 * the state still lacks and must load them into the state (synchronously, or by
 * throwing so the caller can load and retry — which needs `fork`). Throws the
 * ReputeError of the first action that breaks a contract, with its position in the
 * unit as `details.index` when the unit holds more than one.
 */
export function decideUnit(unit: readonly Submission[], book: RuleBook, parent: State, ensure: (keys: Keys) => void, isolation: Isolation = "fork"): DecidedUnit {
  if (isolation !== "journal") return decideOn(isolation === "fork" ? parent.fork() : parent, unit, book, ensure);
  parent.begin();
  try {
    const decided = decideOn(parent, unit, book, ensure);
    parent.keep();
    return decided;
  } catch (e) {
    parent.undo();
    throw e;
  }
}

function decideOn(state: State, unit: readonly Submission[], book: RuleBook, ensure: (keys: Keys) => void): DecidedUnit {
  const effects: Effects[] = [];
  const results: SubmitResult[] = [];
  for (let index = 0; index < unit.length; index++) {
    try {
      decideOne(unit[index] as Submission, state, book, ensure, effects, results);
    } catch (e) {
      // In a batch, say which action broke it: ids may repeat within one.
      if (unit.length > 1 && isReputeError(e)) throw new ReputeError(e.code, e.message, { ...e.details, index }, { cause: e.cause });
      throw e;
    }
  }
  return { state, effects, results };
}

/** Decides one action of a unit on `state`, loading what it lacks first, and collects its outcome. */
function decideOne(sub: Submission, state: State, book: RuleBook, ensure: (keys: Keys) => void, effects: Effects[], results: SubmitResult[]): void {
  for (let rounds = 1; ; rounds++) {
    const keys = missingKeys([sub], book, state);
    if (noKeys(keys)) break;
    if (rounds > MAX_ROUNDS) throw new Error(`state for action ${sub.action.id} did not settle after ${MAX_ROUNDS} loads`);
    ensure(keys);
    if (keys.settled) break;
  }
  const decision: Decision = decide(sub, book, state);
  if (decision.kind === "replay") {
    results.push(decision.result);
  } else {
    evolve(state, decision.effects);
    effects.push(decision.effects);
    results.push(decision.effects.result);
  }
}
