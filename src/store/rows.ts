import type { Action } from "../core/action.js";
import type { Entry, EntryKind } from "../core/entry.js";
import type { Role } from "../core/rules/rule.js";
import type { Snapshot } from "../core/snapshot.js";
import type { ActionRecord, Outcome } from "../core/submit-result.js";

/** Column values of an `actions` row, as both stores read them. */
export interface ActionRow {
  id: string;
  hash: string;
  type: string;
  actor: string;
  target_type: string | null;
  target_id: string | null;
  target_author: string | null;
  topic: string | null;
  at: number;
  data: string | null;
  reverts: string | null;
  reverted_by: string | null;
  rules_version: number;
  outcome: string;
}

/** Column values of an `entries` row. */
export interface EntryRow {
  id: number;
  action_id: string;
  idx: number;
  user_id: string;
  topic: string;
  delta: number;
  kind: string;
  rule: string | null;
  role: string | null;
  requested: number | null;
  source: number | null;
  reverses_action: string | null;
  reverses_idx: number | null;
  rules_version: number;
  at: number;
}

/** Column values of a `snapshots` row. */
export interface SnapshotRow {
  user_id: string;
  topic: string;
  points: number;
  pending: number;
  peak: number;
  period: number;
  entries: number;
  last_at: number;
}

export function actionFromRow(r: ActionRow): Action {
  const a: Action = { id: r.id, type: r.type, actor: r.actor, at: Number(r.at) };
  if (r.target_type !== null && r.target_id !== null) {
    a.target = r.target_author === null ? { type: r.target_type, id: r.target_id } : { type: r.target_type, id: r.target_id, author: r.target_author };
  }
  if (r.topic !== null) a.topic = r.topic;
  if (r.data !== null) a.data = JSON.parse(r.data) as Action["data"] & object;
  if (r.reverts !== null) a.reverts = r.reverts;
  return a;
}

export function entryFromRow(r: EntryRow): Entry {
  return {
    action: r.action_id,
    idx: Number(r.idx),
    user: r.user_id,
    topic: r.topic,
    delta: Number(r.delta),
    kind: r.kind as EntryKind,
    rule: r.rule,
    role: r.role as Role | null,
    requested: r.requested === null ? null : Number(r.requested),
    source: r.source === null ? null : Number(r.source),
    reverses: r.reverses_action === null ? null : { action: r.reverses_action, idx: Number(r.reverses_idx) },
    rulesVersion: Number(r.rules_version),
    at: Number(r.at),
  };
}

export function recordFromRows(r: ActionRow, entries: readonly EntryRow[]): ActionRecord {
  return {
    action: actionFromRow(r),
    hash: r.hash,
    revertedBy: r.reverted_by,
    rulesVersion: Number(r.rules_version),
    entries: entries.map(entryFromRow),
    outcome: JSON.parse(r.outcome) as Outcome,
  };
}

export function snapshotFromRow(r: SnapshotRow): Snapshot {
  return {
    user: r.user_id,
    topic: r.topic,
    points: Number(r.points),
    pending: Number(r.pending),
    peak: Number(r.peak),
    period: Number(r.period),
    entries: Number(r.entries),
    lastAt: Number(r.last_at),
  };
}

/** The `actions` columns of a record, in migration order from `id` to `received_at` (without seq). */
export function actionValues(rec: ActionRecord, receivedAt: number): unknown[] {
  const a = rec.action;
  return [
    a.id,
    rec.hash,
    a.type,
    a.actor,
    a.target?.type ?? null,
    a.target?.id ?? null,
    a.target?.author ?? null,
    a.topic ?? null,
    a.at,
    a.data === undefined ? null : JSON.stringify(a.data),
    a.reverts ?? null,
    rec.revertedBy,
    rec.rulesVersion,
    rec.entries.length,
    JSON.stringify(rec.outcome),
    receivedAt,
  ];
}

/** The `entries` columns of an entry, in migration order without `id`. */
export function entryValues(e: Entry): unknown[] {
  return [
    e.action,
    e.idx,
    e.user,
    e.topic,
    e.delta,
    e.kind,
    e.rule,
    e.role,
    e.requested,
    e.source,
    e.reverses?.action ?? null,
    e.reverses?.idx ?? null,
    e.rulesVersion,
    e.at,
  ];
}

/** The `snapshots` columns of a snapshot, in migration order. */
export function snapshotValues(s: Snapshot): unknown[] {
  return [s.user, s.topic, s.points, s.pending, s.peak, s.period, s.entries, s.lastAt];
}
