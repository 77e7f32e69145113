import type { Action, Target } from "./core/action.js";
import type { Level } from "./core/ladder.js";
import type { RuleBook } from "./core/rule-book.js";
import type { Snapshot } from "./core/snapshot.js";
import type { AppliedEntry } from "./core/submit-result.js";
import { appliedEntry } from "./core/to-result.js";
import type { HistoryRow } from "./store/store.js";

/** A user's reputation in one topic, as readers see it at a moment. */
export interface TopicReputation {
  topic: string;
  /** Published points. */
  points: number;
  /** Earned since the latest publication boundary (always 0 with immediate publication). */
  pending: number;
  /** The highest total ever reached. */
  peak: number;
  level: string;
  next: Level | null;
  /** 0–1 through the current level towards the next. */
  progress: number;
  /** Ledger entries in this topic. */
  entries: number;
  /** Time of the newest entry, or null when there is none. */
  lastAt: string | null;
}

/** One row of a user's history. */
export interface HistoryEntry extends AppliedEntry {
  /** Ledger position (newest first). */
  id: number;
  at: string;
  action: { id: string; type: string; actor: string; target: Target | null; topic: string | null; at: string };
}

/** One row of a leaderboard. */
export interface LeaderboardRow {
  rank: number;
  user: string;
  points: number;
  pending: number;
  level: string;
}

/** Where a user stands in a topic. */
export interface RankView {
  user: string;
  topic: string;
  /** 1 + the number of users with more points; null when the user has no entries in the topic (a total of 0 is ranked). */
  rank: number | null;
  /** How many users have a total in the topic. */
  of: number;
  points: number;
  level: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A snapshot as a reader sees it at `now`. */
export function topicReputation(s: Snapshot, book: RuleBook, now: number): TopicReputation {
  const { points, pending } = book.publication.view(s, now);
  const standing = book.ladder(s.topic).standing(points);
  return {
    topic: s.topic,
    points,
    pending,
    peak: s.peak,
    level: standing.level.name,
    next: standing.next,
    progress: standing.progress,
    entries: s.entries,
    lastAt: s.entries === 0 ? null : iso(s.lastAt),
  };
}

/** A history row with its reason. */
export function historyEntry(row: HistoryRow, book: RuleBook): HistoryEntry {
  const a: Action = row.action;
  return {
    id: row.id,
    ...appliedEntry(row.entry, { action: a }, book),
    at: iso(row.entry.at),
    action: { id: a.id, type: a.type, actor: a.actor, target: a.target ?? null, topic: a.topic ?? null, at: iso(a.at) },
  };
}
