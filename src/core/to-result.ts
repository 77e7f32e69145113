import type { Entry } from "./entry.js";
import { reasonFor, withheldReason } from "./reason.js";
import type { RuleBook } from "./rule-book.js";
import type { ActionRecord, AppliedEntry, SubmitResult } from "./submit-result.js";

/** An entry as results and history show it, with its reason told by the rules version that applied it. */
export function appliedEntry(entry: Entry, record: Pick<ActionRecord, "action">, book: RuleBook | null): AppliedEntry {
  return {
    user: entry.user,
    topic: entry.topic,
    delta: entry.delta,
    kind: entry.kind,
    rule: entry.rule,
    role: entry.role,
    requested: entry.requested,
    reason: reasonFor(entry, record.action, book?.asOf(entry.rulesVersion) ?? null),
  };
}

/** The submit result of a recorded action; a replay returns the original's. */
export function toResult(record: ActionRecord, replay: boolean, book: RuleBook | null): SubmitResult {
  return {
    action: record.action.id,
    replay,
    entries: record.entries.map((e) => appliedEntry(e, record, book)),
    changes: record.outcome.changes,
    levels: record.outcome.levels,
    withheld: (record.outcome.withheld ?? []).map((w) => ({ ...w, reason: withheldReason(w, record.action, book?.asOf(record.rulesVersion) ?? null) })),
  };
}
