import type { Effects } from "./decide.js";
import { snapshotKey } from "./snapshot.js";
import { type State, counterKey, targetKey } from "./state.js";

/**
 * Folds an action's effects into state, so the next action of the same
 * transaction decides on top of it. Mutates the state's current layer only.
 */
export function evolve(state: State, effects: Effects): void {
  const { record } = effects;
  state.actions.set(record.action.id, record);
  for (const s of effects.snapshots) state.snapshots.set(snapshotKey(s.user, s.topic), s);
  for (const c of effects.counters) {
    const key = counterKey(c.cap, c.user, c.day);
    state.counters.set(key, (state.counters.get(key) ?? 0) + c.amount);
  }
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
