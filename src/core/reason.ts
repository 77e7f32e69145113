import { ADJUST, type Action, REVERT, adjustment } from "./action.js";
import { capDayLabel, capDay } from "./caps.js";
import type { Entry } from "./entry.js";
import type { RuleBook } from "./rule-book.js";
import { GLOBAL_TOPIC } from "./ids.js";

/**
 * A human-readable reason for an entry, e.g. `upvote (answer 9) by 42 in typescript`
 * or `revert of vote:42:answer:9`. `book` supplies rule descriptions; a rule the
 * current configuration no longer has is named by its id.
 */
export function reasonFor(entry: Entry, action: Action, book: RuleBook | null): string {
  switch (entry.kind) {
    case "adjust":
      return describe(action, entry, book);
    case "revert": {
      const undone = entry.reverses?.action ?? "?";
      if (action.type === REVERT) return `revert of ${undone}`;
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

function describe(action: Action, entry: Entry, book: RuleBook | null): string {
  if (action.type === ADJUST) return `adjustment by ${action.actor}: ${adjustment(action).reason}`;
  const rule = entry.rule === null ? undefined : book?.rule(entry.rule);
  let text = rule?.description ?? entry.rule ?? action.type;
  if (action.target !== undefined) text += ` (${action.target.type} ${action.target.id})`;
  if (entry.role === "author") text += ` by ${action.actor}`;
  if (action.topic !== undefined) text += ` in ${action.topic}`;
  return text;
}

function limitNote(entry: Entry, action: Action, book: RuleBook | null): string {
  if (entry.requested === null) return "";
  if (entry.requested > entry.delta) {
    const cap = entry.rule === null ? undefined : book?.rule(entry.rule)?.cap;
    const which = cap === undefined ? "daily cap" : `daily cap "${cap}"`;
    return ` (${which} reached on ${capDayLabel(capDay(action.at))}: ${entry.requested} asked)`;
  }
  const floor = book?.floor;
  return floor === null || floor === undefined ? ` (floor reached: ${entry.requested} asked)` : ` (floor ${floor} reached: ${entry.requested} asked)`;
}
