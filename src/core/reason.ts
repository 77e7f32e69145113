import { ADJUST, type Action, REVERT, adjustment } from "./action.js";
import { capDayLabel, capDay } from "./caps.js";
import type { Entry } from "./entry.js";
import type { Withheld } from "./submit-result.js";
import type { RuleBook } from "./rule-book.js";
import { GLOBAL_TOPIC } from "./ids.js";

/**
 * A human-readable reason for an entry, e.g. `upvote (answer 9) by 42 in typescript`,
 * `revert of vote:42:answer:9` or `revert of del:9: negates an entry of vote:42:answer:9`.
 * `book` (the rules version that applied the entry) supplies rule descriptions, caps
 * and the floor; a rule it does not have is named by its id.
 */
export function reasonFor(entry: Entry, action: Action, book: RuleBook | null): string {
  switch (entry.kind) {
    case "adjust":
      return describe(action, entry, book);
    case "revert": {
      const undone = entry.reverses?.action ?? "?";
      if (action.type === REVERT) {
        // A revert also negates entries of actions other than the one it names: an undelete
        // takes a retracted vote back again, a retraction takes a vote over from a deletion.
        return action.reverts === undone ? `revert of ${undone}` : `revert of ${action.reverts}: negates an entry of ${undone}`;
      }
      const on = action.target === undefined ? "" : ` of ${action.target.type} ${action.target.id}`;
      return `${action.type}${on} by ${action.actor} takes back ${undone}`;
    }
    case "rule":
      return describe(action, entry, book) + limitNote(entry, action, book);
    case "rollup":
      return `${describe(action, entry, book)}, rolled up from ${action.topic ?? GLOBAL_TOPIC}` + limitNote(entry, action, book);
    case "global":
      return describe(action, entry, book) + limitNote(entry, action, book);
  }
}

/**
 * Why a rule gave a user nothing, e.g. `upvote (answer 9) by 42 in typescript: already
 * given by vote:1001 (once per actor and target)`.
 */
export function withheldReason(w: Withheld, action: Action, book: RuleBook | null): string {
  const what = describe(action, w, book);
  switch (w.why) {
    case "once": {
      const per = book?.rule(w.rule)?.once;
      return `${what}: already given by ${w.holder ?? "an earlier action"}${per === undefined ? "" : ` (once per actor and ${per})`}`;
    }
    case "self":
      return `${what}: not given when the actor is the author`;
    case "cap":
      return what + capNote(w.rule, action, book, w.points, "already reached");
    case "floor":
      return what + floorNote(book, w.points, w.topic);
    case "topic":
      return `${what}: the rule needs a topic, and the action names none`;
  }
}

function describe(action: Action, award: Pick<Entry, "rule" | "role">, book: RuleBook | null): string {
  if (action.type === ADJUST) return `adjustment by ${action.actor}: ${adjustment(action).reason}`;
  const rule = award.rule === null ? undefined : book?.rule(award.rule);
  let text = rule?.description ?? award.rule ?? action.type;
  if (action.target !== undefined) text += ` (${action.target.type} ${action.target.id})`;
  if (award.role === "author") text += ` by ${action.actor}`;
  if (action.topic !== undefined) text += ` in ${action.topic}`;
  return text;
}

function limitNote(entry: Entry, action: Action, book: RuleBook | null): string {
  if (entry.requested === null) return "";
  if (entry.requested > entry.delta) return capNote(entry.rule, action, book, entry.requested, "reached");
  return floorNote(book, entry.requested);
}

/** ` (daily cap "votes" reached on 2026-11-20: 10 asked)`: a rule's cap cut what it asked, in part or (`already reached`) whole. */
function capNote(rule: string | null, action: Action, book: RuleBook | null, asked: number, reached: "reached" | "already reached"): string {
  const cap = rule === null ? undefined : book?.rule(rule)?.cap;
  return ` (${cap === undefined ? "daily cap" : `daily cap "${cap}"`} ${reached} on ${capDayLabel(capDay(action.at))}: ${asked} asked)`;
}

/** ` (floor 0 reached: -2 asked)`, or ` (floor 0 reached in beer: -1 asked)` for a rollup's or global's copy: the floor cut what a rule asked. */
function floorNote(book: RuleBook | null, asked: number, topic?: string): string {
  const floor = book?.floor;
  return ` (${floor === null || floor === undefined ? "floor" : `floor ${floor}`} reached${topic === undefined ? "" : ` in ${topic}`}: ${asked} asked)`;
}
