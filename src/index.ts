/**
 * Repute: a reputation engine for community software.
 *
 * @example
 * import { openRepute } from "repute";
 * const repute = await openRepute({ db: "./repute.db", config: "qa" });
 */
export { openRepute, type OpenReputeOptions } from "./open-repute.js";
export {
  Repute,
  type VerifyReport,
  type ActionView,
  type AdjustInput,
  type ReputationOptions,
  type ReputationView,
  type HistoryOptions,
  type HistoryPage,
  type LeaderboardOptions,
  type LeaderboardPage,
} from "./repute.js";
export type { HistoryEntry, LeaderboardRow, RankView, TopicReputation } from "./read-views.js";
export { ReputeError, errorCatalogue, errorCodes, isReputeError, type ErrorCode, type ValidationIssue } from "./core/errors.js";
export { actionInputSchema, type Action, type ActionInput, type Target } from "./core/action.js";
export { reputeConfigSchema, parseConfig, type ReputeConfig, type ReputeConfigInput } from "./core/rules/repute-config.js";
export { ruleSchema, type Rule, type RuleInput, type Role } from "./core/rules/rule.js";
export type { RuleBook } from "./core/rule-book.js";
export type { Submission } from "./core/keys.js";
export { presets, type PresetName } from "./core/rules/presets/index.js";
export type { AppliedEntry, LevelChange, SnapshotChange, SubmitResult, Withheld, WithheldPoints, WithheldWhy } from "./core/submit-result.js";
export type { Entry, EntryKind } from "./core/entry.js";
export type { Topic, TopicInput } from "./core/topic-tree.js";
export type { Level } from "./core/ladder.js";
export type { Store, UnitOutcome, RebuildReport } from "./store/store.js";
export type { Violation, Invariant } from "./store/violation.js";
export { SqliteStore, type SqliteStoreOptions } from "./store/sqlite/sqlite-store.js";
export { ApiKeys, roleAllows } from "./api-keys.js";
export { GroupCommit, type GroupCommitOptions, type Flush, type UnitSubmitter } from "./group-commit.js";
export type { ApiKeyRecord, ApiKeyRole } from "./store/api-key-record.js";
export { PostgresStore } from "./store/postgres/postgres-store.js";
