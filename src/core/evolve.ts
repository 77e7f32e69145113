import type { Effects } from "./decide.js";
import { type State, targetKey } from "./state.js";

/**
 * Folds an action's effects into state, so the next action of the same
 * transaction decides on top of it. Mutates the state's current layer only.
 */
export function evolve(state: State, effects: Effects): void {
  const { record } = effects;
  state.actions.set(record.action.id, record);
  effects.snapshots.forEach((s, i) => state.snapshots.set(effects.snapshotKeys[i] as string, s));
  for (const c of effects.counters) state.counters.set(c.key, (state.counters.get(c.key) ?? 0) + c.amount);
  for (const key of effects.awardsReleased) state.awards.set(key, null);
  for (const { key, holder } of effects.awardsTaken) state.awards.set(key, holder);
  for (const { id, revertedBy } of effects.marks) {
    const rec = state.actions.get(id);
    if (rec) state.actions.set(id, { ...rec, revertedBy });
  }
  for (const t of effects.topicsCreated) state.topicsAdded.set(t.id, t);
  const target = record.action.target;
  if (target !== undefined) {
    const key = targetKey(target.type, target.id);
    state.targetsAdded.set(key, [...(state.targetsAdded.get(key) ?? []), record.action.id]);
  }
}
