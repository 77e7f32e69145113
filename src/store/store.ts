import type { Action } from "../core/action.js";
import type { Entry } from "../core/entry.js";
import type { ReputeError } from "../core/errors.js";
import type { Submission } from "../core/keys.js";
import type { RuleBook } from "../core/rule-book.js";
import type { ReputeConfig } from "../core/rules/repute-config.js";
import type { Snapshot } from "../core/snapshot.js";
import type { ActionRecord, SubmitResult } from "../core/submit-result.js";
import type { Topic, TopicInput } from "../core/topic-tree.js";
import type { ApiKeyRecord, ApiKeyRole } from "./api-key-record.js";
import type { Violation } from "./violation.js";

/** The outcome of one unit of a group submit: all its results, or the error that undid it. */
export type UnitOutcome = { ok: true; results: SubmitResult[] } | { ok: false; error: ReputeError };

/** One row of a user's history: the entry, its ledger position and the action that applied it. */
export interface HistoryRow {
  id: number;
  entry: Entry;
  action: Action;
}

/** What `rebuild` did. */
export interface RebuildReport {
  snapshots: number;
  /** Snapshots whose rebuilt values differed from the kept ones (0 when all is well). */
  changed: number;
  entries: number;
}

/** One row of a leaderboard as the store reads it (from the board index alone). */
export interface BoardRow {
  user: string;
  points: number;
  pending: number;
}

/** Options of a leaderboard page. */
export interface LeaderboardQuery {
  limit: number;
  /** Continue after this row (points desc, user asc). */
  after?: { points: number; user: string } | undefined;
  /** Only totals in [min, max); null bounds are open. */
  min?: number | null | undefined;
  max?: number | null | undefined;
  /** False when pending points are always 0 (immediate publication): the store need not read them. */
  pending?: boolean | undefined;
}

/**
 * The store contract: every store (SQLite, PostgreSQL) implements it and passes the
 * suite in `test/store/`. A store owns I/O and transactions; the decisions come from
 * the pure core. Every method that writes is all-or-nothing.
 */
export interface Store {
  readonly dialect: "sqlite" | "postgres";

  /** Records a configuration and returns its rules version (the same configuration keeps its version). */
  registerConfig(config: ReputeConfig, hash: string, now: number): Promise<number>;
  /** The configuration of the newest rules version, or null for a new database. */
  latestConfig(): Promise<unknown | null>;
  /** Every recorded rules version with its configuration. */
  rulesVersions(): Promise<Array<{ version: number; config: unknown; createdAt: number }>>;

  /** The topic tree. */
  topics(): Promise<Topic[]>;
  /** One topic, or null. */
  topic(id: string): Promise<Topic | null>;
  /** The topic if this process already knows it (no I/O); undefined says nothing either way. */
  knownTopic(id: string): Topic | undefined;
  /** Adds topics in order (parents first); all or nothing. Returns those created. */
  addTopics(topics: TopicInput[], now: number): Promise<Topic[]>;

  /**
   * Decides and writes units of actions in one transaction. Each unit is all or
   * nothing on its own: a unit that fails (conflict, unknown reverted action, …)
   * reports its error and leaves the others unaffected. A database failure fails
   * every unit (nothing is written).
   */
  submit(units: Submission[][], book: RuleBook, now: number): Promise<UnitOutcome[]>;

  /** A recorded action, or null. */
  action(id: string): Promise<ActionRecord | null>;
  /** A user's snapshots, in every topic or one. */
  snapshots(user: string, topic?: string): Promise<Snapshot[]>;
  /** A user's ledger entries, newest first, before ledger position `before`. */
  history(user: string, query: { limit: number; before?: number | undefined; topic?: string | undefined }): Promise<HistoryRow[]>;
  /** A topic's users by points (published) descending, then user ascending. */
  leaderboard(topic: string, query: LeaderboardQuery): Promise<BoardRow[]>;
  /** How many users of a topic have more points than `points`, exactly `points`, and how many there are. */
  countAbove(topic: string, points: number): Promise<{ above: number; at: number; total: number }>;

  /** The publication period the store has published through. */
  watermark(): Promise<number>;
  /** Publishes pending points of every snapshot behind `period` (lazy daily publication). */
  publish(period: number, book: RuleBook): Promise<number>;

  /**
   * Makes the snapshots follow `book`'s publication schedule. When the store's
   * snapshots were split under another schedule, it sets the watermark to `period`
   * (the one the clock is in) and rebuilds, in one transaction, and returns the
   * rebuild's report; otherwise null.
   */
  followPublication(book: RuleBook, period: number): Promise<RebuildReport | null>;
  /** Recomputes every snapshot (and rank counts) from the ledger. */
  rebuild(book: RuleBook): Promise<RebuildReport>;
  /** Checks every invariant (docs/concepts.md); returns each violation found. */
  verify(book: RuleBook): Promise<Violation[]>;

  /** Stores a new key (its hash). Throws KEY_NAME_TAKEN when an active key has the name. */
  createApiKey(key: { name: string; role: ApiKeyRole; hash: string; prefix: string; createdAt: number }): Promise<ApiKeyRecord>;
  /** The active key with this hash, or null (unknown or revoked). */
  apiKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** Every key, revoked ones included, oldest first. */
  apiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes the active key with this name; false when there is none. */
  revokeApiKey(name: string, at: number): Promise<boolean>;

  /** Resolves when the database answers a trivial query (readiness checks). */
  ping(): Promise<void>;

  close(): Promise<void>;
}
