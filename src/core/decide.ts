import { type Action, ADJUST, REVERT, adjustment } from "./action.js";
import { applyCap, applyFloor, capDay } from "./caps.js";
import { Draft } from "./draft.js";
import type { Entry } from "./entry.js";
import { ReputeError } from "./errors.js";
import { GLOBAL_TOPIC } from "./ids.js";
import { type Submission, awardKey, reachOf } from "./keys.js";
import { share } from "./rollup.js";
import type { RuleBook } from "./rule-book.js";
import { type Payee, type Role, ignoredSelf, lacksTopic, payees } from "./rules/rule.js";
import type { Snapshot } from "./snapshot.js";
import type { State } from "./state.js";
import type { ActionRecord, SubmitResult, WithheldWhy } from "./submit-result.js";
import { toResult } from "./to-result.js";
import type { Topic } from "./topic-tree.js";

/** Everything an applied action changes; the store writes it, `evolve` folds it into state. */
export interface Effects {
  record: ActionRecord;
  /** Every snapshot the action changed, after it. */
  snapshots: Snapshot[];
  /** The same snapshots before the action (null: it had none). */
  before: Array<Snapshot | null>;
  /** Their state keys. */
  snapshotKeys: string[];
  counters: Array<{ key: string; cap: string; user: string; day: number; amount: number }>;
  awardsTaken: Array<{ key: string; holder: string }>;
  awardsReleased: string[];
  /** Actions whose `revertedBy` changes (null restores them). */
  marks: Array<{ id: string; revertedBy: string | null }>;
  topicsCreated: Topic[];
  result: SubmitResult;
}

/** A decision: the original result of a replayed id, or the effects of a new action. */
export type Decision = { kind: "replay"; result: SubmitResult } | { kind: "apply"; effects: Effects };

/**
 * Decides one action against loaded state: pure and synchronous. Throws
 * ACTION_ID_CONFLICT, ACTION_NOT_FOUND, ACTION_NOT_REVERTIBLE, ACTION_INVALID,
 * TOPIC_NOT_FOUND, or the submission's `refused` error (UNKNOWN_ACTION_TYPE,
 * UNKNOWN_TARGET_TYPE) when its id is not a replay, for a broken contract; everything
 * else is a value.
 */
export function decide(sub: Submission, book: RuleBook, state: State): Decision {
  const { action } = sub;
  const existing = state.action(action.id);
  if (existing === undefined) throw new Error(`state not loaded: action ${action.id}`);
  if (existing !== null) {
    if (existing.hash !== sub.hash) {
      throw new ReputeError("ACTION_ID_CONFLICT", `action "${action.id}" was already submitted with different content`, { action: action.id });
    }
    return { kind: "replay", result: toResult(existing, true, book) };
  }
  if (sub.refused !== undefined) throw sub.refused;
  const draft = new Draft(action.type === REVERT ? revertDated(sub, state) : action, book, state);
  if (action.type === REVERT) revert(draft, action.reverts as string);
  else if (action.type === ADJUST) adjust(draft);
  else applyRules(draft);
  return { kind: "apply", effects: finish(draft, sub) };
}

function topicOf(draft: Draft): string {
  const id = draft.action.topic ?? GLOBAL_TOPIC;
  if (draft.topic(id) !== undefined) return id;
  if (!draft.book.config.topics.autoCreate) {
    throw new ReputeError("TOPIC_NOT_FOUND", `topic "${id}" does not exist`, { action: draft.action.id, topic: id });
  }
  const created = draft.state.tree.plan({ id }, (t) => draft.topic(t));
  if (created !== null) draft.topicsCreated.push(created);
  return id;
}

/** How an award is recorded: its kind, rule and role, and what a cap cut it from. */
interface AwardFields {
  kind: "rule" | "adjust";
  rule: string | null;
  role: Role | null;
  requested: number | null;
}

/** Credits `points` to a user in `topic` and everything the topic reaches, floors applied. */
function award(draft: Draft, user: string, topic: string, points: number, base: AwardFields, floor: number | null): void {
  const [own, ...rest] = reachOf(topic, draft.book, draft.state, (t) => draft.topic(t));
  if (own === undefined) return;
  const slot = draft.slot(user, own.topic);
  const applied = applyFloor(points, slot.now.points + slot.now.pending, floor);
  if (applied === 0 && points !== 0 && base.rule !== null && base.role !== null) {
    withhold(draft, base.rule, [{ user, role: base.role, points }], "floor", null);
    return;
  }
  const requested = base.requested ?? (applied !== points ? points : null);
  const entry = draft.credit(slot, applied, { kind: base.kind, rule: base.rule, role: base.role, requested, source: null, reverses: null });
  if (entry === null) return;
  for (const r of rest) {
    const up = draft.slot(user, r.topic);
    const asked = r.kind === "global" ? applied : share(applied, r.ratio);
    const got = applyFloor(asked, up.now.points + up.now.pending, floor);
    if (got === 0 && asked !== 0 && base.rule !== null && base.role !== null) {
      // The award went through, and the floor left this total as it was: said like a withheld award, in this topic.
      draft.withheld.push({ rule: base.rule, user, role: base.role, points: asked, why: "floor", holder: null, topic: r.topic });
      continue;
    }
    draft.credit(up, got, {
      kind: r.kind === "global" ? "global" : "rollup",
      rule: base.rule,
      role: base.role,
      requested: got !== asked ? asked : null,
      source: entry.idx,
      reverses: null,
    });
  }
}

function applyRules(draft: Draft): void {
  const { action, book } = draft;
  const topic = topicOf(draft);
  const day = capDay(action.at);
  const cascade = new Set<string>();
  for (const rule of book.rulesFor(action)) {
    // An action a rule cannot apply to is refused whether or not it names a topic.
    if ((rule.author ?? 0) !== 0 && action.target?.author === undefined) {
      throw new ReputeError("ACTION_INVALID", `rule "${rule.id}" gives points to target.author, and the action names none`, {
        action: action.id,
        rule: rule.id,
      });
    }
    if (rule.once === "target" && action.target === undefined) {
      throw new ReputeError("ACTION_INVALID", `rule "${rule.id}" awards once per target, and the action has no target`, {
        action: action.id,
        rule: rule.id,
      });
    }
    const due = payees(rule, action.actor, action.target?.author);
    const noTopic = lacksTopic(rule, action.topic);
    // Without a topic the rule gives nothing, and what it describes takes nothing back.
    if (!noTopic) for (const t of rule.revertsOnTarget ?? []) cascade.add(t);
    // Acting on one's own target under `self: "ignore"` gives nothing, with a topic or without: that is the reason given.
    if (due.length === 0) {
      withhold(draft, rule.id, ignoredSelf(rule, action.actor, action.target?.author), "self", null);
      continue;
    }
    if (noTopic) {
      withhold(draft, rule.id, due, "topic", null);
      continue;
    }
    const key = awardKey(rule, action);
    if (key !== null) {
      const holder = draft.awardHolder(key);
      if (holder !== null) {
        withhold(draft, rule.id, due, "once", holder);
        continue;
      }
      draft.takeAward(key, action.id);
    }
    for (const p of due) {
      let points = p.points;
      let requested: number | null = null;
      if (rule.cap !== undefined) {
        const counter = draft.counter(rule.cap, p.user, day);
        const capped = applyCap(points, counter.base + counter.amount, book.cap(rule.cap));
        if (capped > 0) counter.amount += capped;
        if (capped === 0 && points !== 0) {
          withhold(draft, rule.id, [p], "cap", null);
          continue;
        }
        if (capped !== points) [requested, points] = [points, capped];
      }
      award(draft, p.user, topic, points, { kind: "rule", rule: rule.id, role: p.role, requested }, book.floor);
    }
  }
  if (cascade.size > 0 && action.target !== undefined) {
    const ids = draft.state.targetActions(action.target.type, action.target.id);
    if (ids === undefined) throw new Error(`state not loaded: target ${action.target.type}/${action.target.id}`);
    for (const id of ids) {
      const rec = draft.state.action(id);
      if (rec === undefined) throw new Error(`state not loaded: action ${id}`);
      if (rec === null || id === action.id || rec.revertedBy !== null || !cascade.has(rec.action.type)) continue;
      takeBack(draft, rec);
      draft.cascaded.push(id);
    }
  }
}

/** Records that a rule gave these payees nothing, and why. */
function withhold(draft: Draft, rule: string, due: readonly Payee[], why: WithheldWhy, holder: string | null): void {
  for (const p of due) draft.withheld.push({ rule, user: p.user, role: p.role, points: p.points, why, holder });
}

function adjust(draft: Draft): void {
  const { points } = adjustment(draft.action);
  const user = (draft.action.target as { id: string }).id;
  award(draft, user, topicOf(draft), points, { kind: "adjust", rule: null, role: null, requested: null }, null);
}

/** Appends the exact negation of each entry of `rec` that `which` selects (all by default). */
function negate(draft: Draft, rec: ActionRecord, which: (e: Entry) => boolean = () => true): void {
  for (const e of rec.entries) {
    if (!which(e)) continue;
    draft.credit(draft.slot(e.user, e.topic), -e.delta, {
      kind: "revert",
      rule: e.rule,
      role: e.role,
      requested: null,
      source: null,
      reverses: { action: e.action, idx: e.idx },
    });
  }
}

/** Appends the exact negation of every entry of `rec`, frees its awards and marks it reverted. */
function takeBack(draft: Draft, rec: ActionRecord): void {
  negate(draft, rec);
  for (const key of rec.outcome.awards) if (draft.awardHolder(key) === rec.action.id) draft.releaseAward(key);
  draft.marks.set(rec.action.id, draft.action.id);
}

/**
 * A revert never comes before what it undoes: its entries would otherwise be older than
 * the entries they negate, and under a publication schedule take published points for
 * an award still pending. Dated by its sender, an earlier revert is ACTION_INVALID.
 * Dated when received, it is dated at the reverted action's time instead: clocks step
 * back, and an action may be dated up to 5 minutes ahead.
 */
function revertDated(sub: Submission, state: State): Action {
  const { action } = sub;
  const rec = state.action(action.reverts as string);
  // An unknown id, or a revert named as the target, is refused by `revert` with its own error.
  if (rec === undefined || rec === null || rec.action.type === REVERT || rec.action.at <= action.at) return action;
  if (!sub.dated) return { ...action, at: rec.action.at };
  const [at, before] = [new Date(action.at).toISOString(), new Date(rec.action.at).toISOString()];
  throw new ReputeError("ACTION_INVALID", `revert "${action.id}" is dated ${at}, before the action it reverts ("${rec.action.id}", ${before})`, {
    action: action.id,
    reverts: rec.action.id,
    at,
    revertsAt: before,
  });
}

function revert(draft: Draft, id: string): void {
  const rec = draft.state.action(id);
  if (rec === undefined) throw new Error(`state not loaded: action ${id}`);
  if (rec === null) throw new ReputeError("ACTION_NOT_FOUND", `action "${id}" does not exist`, { action: draft.action.id, reverts: id });
  if (rec.action.type === REVERT) {
    throw new ReputeError("ACTION_NOT_REVERTIBLE", `action "${id}" is a revert; reverts cannot be reverted`, { action: draft.action.id, reverts: id });
  }
  if (rec.revertedBy !== null) {
    takeOver(draft, rec, rec.revertedBy);
    return;
  }
  takeBack(draft, rec);
  // Undoing an action that took back others (a deletion) restores them: the negation
  // above gave their points back. One retracted meanwhile (its revert took it over from
  // the deletion), or whose once-award another action holds now (the voter voted again
  // on the deleted post), stays taken back: its points are taken back again, so the
  // other one is the only standing award.
  for (const restored of rec.outcome.cascaded) {
    const r = draft.state.action(restored);
    if (r === undefined) throw new Error(`state not loaded: action ${restored}`);
    if (r === null) continue;
    if (r.revertedBy !== rec.action.id) {
      negate(draft, r);
      continue;
    }
    if (r.outcome.awards.some((key) => draft.awardHolder(key) !== null)) {
      takeBack(draft, r);
      continue;
    }
    draft.marks.set(restored, null);
    for (const key of r.outcome.awards) draft.takeAward(key, restored);
  }
}

/**
 * Reverts an action already taken back. After a revert, nothing changes. After a
 * cascade (a deletion took it back), this revert takes it over, so that undoing the
 * deletion leaves it taken back: it negates the action's entries and the deletion's
 * negations of them, which moves no total, and marks the action reverted by itself.
 */
function takeOver(draft: Draft, rec: ActionRecord, by: string): void {
  const cascade = draft.state.action(by);
  if (cascade === undefined) throw new Error(`state not loaded: action ${by}`);
  if (cascade === null || cascade.action.type === REVERT) return; // reverting twice changes nothing
  negate(draft, rec);
  negate(draft, cascade, (e) => e.reverses?.action === rec.action.id);
  draft.marks.set(rec.action.id, draft.action.id);
}

function finish(draft: Draft, sub: Submission): Effects {
  draft.closePeaks();
  const { changes, levels } = draft.changes();
  const record: ActionRecord = {
    action: draft.action,
    hash: sub.hash,
    revertedBy: null,
    rulesVersion: draft.book.version,
    entries: draft.entries,
    outcome: {
      changes,
      levels,
      awards: [...draft.awardsTaken].filter(([, holder]) => holder === draft.action.id).map(([key]) => key),
      cascaded: draft.cascaded,
      ...(draft.withheld.length > 0 ? { withheld: draft.withheld } : {}),
    },
  };
  const slots = draft.touchedSlots();
  return {
    record,
    snapshots: slots.map((s) => s.now),
    before: slots.map((s) => s.before),
    snapshotKeys: slots.map((s) => s.key),
    counters: draft.counterAdds().map(({ key, cap, user, day, amount }) => ({ key, cap, user, day, amount })),
    awardsTaken: [...draft.awardsTaken].map(([key, holder]) => ({ key, holder })),
    awardsReleased: [...draft.awardsReleased],
    marks: [...draft.marks].map(([id, revertedBy]) => ({ id, revertedBy })),
    topicsCreated: draft.topicsCreated,
    result: toResult(record, false, draft.book),
  };
}
