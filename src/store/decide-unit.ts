import { type Decision, type Effects, decide } from "../core/decide.js";
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
 * Decides a unit of actions in order on a fork of `parent` — or on `parent` itself
 * when `isolate` is false (the caller then drops the whole state if the unit
 * fails). Before each action, `ensure` is given the keys the state still lacks and
 * must load them into the state (synchronously, or by throwing so the caller can
 * load and retry). Throws the ReputeError of the first action that breaks a
 * contract.
 */
export function decideUnit(unit: readonly Submission[], book: RuleBook, parent: State, ensure: (keys: Keys) => void, isolate = true): DecidedUnit {
  const state = isolate ? parent.fork() : parent;
  const effects: Effects[] = [];
  const results: SubmitResult[] = [];
  for (const sub of unit) {
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
  return { state, effects, results };
}
