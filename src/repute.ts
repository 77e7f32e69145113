import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type Action, type ActionInput, actionInputSchema, adjustPointsSchema, adjustReasonSchema, atSchema, normalizeAction } from "./core/action.js";
import { ReputeError, isReputeError } from "./core/errors.js";
import { GLOBAL_TOPIC, actionIdSchema, topicIdSchema, userIdSchema } from "./core/ids.js";
import type { Submission } from "./core/keys.js";
import type { RuleBook } from "./core/rule-book.js";
import type { ReputeConfig } from "./core/rules/repute-config.js";
import { emptySnapshot } from "./core/snapshot.js";
import type { Ladder } from "./core/ladder.js";
import type { SubmitResult } from "./core/submit-result.js";
import { toResult } from "./core/to-result.js";
import { type Topic, type TopicInput, topicInputSchema } from "./core/topic-tree.js";
import { parseOrThrow } from "./core/validate.js";
import { ApiKeys } from "./api-keys.js";
import { contentHash } from "./content-hash.js";
import { boardCursorSchema, decodeCursor, encodeCursor, historyCursorSchema } from "./cursor.js";
import { pageLimitSchema } from "./page-limit.js";
import { type HistoryEntry, type LeaderboardRow, type RankView, type TopicReputation, historyEntry, topicReputation } from "./read-views.js";
import type { BoardRow, RebuildReport, Store, UnitOutcome } from "./store/store.js";
import type { Violation } from "./store/violation.js";

const unitSchema = z.array(z.unknown());
const reputationQuerySchema = z.strictObject({ topic: topicIdSchema.optional() });
const historyQuerySchema = z.strictObject({ limit: pageLimitSchema.default(20), cursor: z.string().optional(), topic: topicIdSchema.optional() });
const boardQuerySchema = z.strictObject({ limit: pageLimitSchema.default(10), cursor: z.string().optional(), level: z.string().min(1).optional() });
const adjustInputSchema = z.strictObject({
  id: actionIdSchema.optional(),
  user: userIdSchema,
  points: adjustPointsSchema,
  reason: adjustReasonSchema,
  topic: topicIdSchema.optional(),
  by: userIdSchema,
  at: atSchema.optional(),
});

/** Options of `reputation`. */
export type ReputationOptions = z.input<typeof reputationQuerySchema>;
/** Options of `history`. */
export type HistoryOptions = z.input<typeof historyQuerySchema>;
/** Options of `leaderboard`. */
export type LeaderboardOptions = z.input<typeof boardQuerySchema>;
/** The input of `adjust`. */
export type AdjustInput = z.input<typeof adjustInputSchema>;

/** A user's reputation: every topic they have points in, or the one asked for. */
export interface ReputationView {
  user: string;
  topics: TopicReputation[];
}

/** A page of a user's history, newest first; `nextCursor` asks for the next one (null: no more). */
export interface HistoryPage {
  user: string;
  entries: HistoryEntry[];
  nextCursor: string | null;
}

/** A page of a topic's leaderboard; `nextCursor` asks for the next one (null: no more). */
export interface LeaderboardPage {
  topic: string;
  entries: LeaderboardRow[];
  nextCursor: string | null;
}

/** The result of `verify`. */
export interface VerifyReport {
  ok: boolean;
  violations: Violation[];
}

/** An action as recorded (its time as ISO 8601, like every other read), with its original result and whether it was reverted. */
export interface ActionView {
  action: Omit<Action, "at"> & { at: string };
  revertedBy: string | null;
  rulesVersion: number;
  result: SubmitResult;
}

/** The library facade: submit actions, read reputation, maintain the ledger. */
export class Repute {
  /** API keys for the HTTP service. */
  readonly apiKeys: ApiKeys;
  /** The latest period this process has seen published (see `publishDue`). */
  private publishedThrough = Number.NEGATIVE_INFINITY;

  constructor(
    readonly store: Store,
    readonly book: RuleBook,
    private readonly clock: () => number,
  ) {
    this.apiKeys = new ApiKeys(store, clock);
  }

  /** The validated configuration in use. */
  get config(): ReputeConfig {
    return this.book.config;
  }

  /** The rules version entries written now carry. */
  get rulesVersion(): number {
    return this.book.version;
  }

  /**
   * Validates one raw action and prepares it for the store. Throws VALIDATION_FAILED;
   * an action type or target type the configuration does not know is refused when the
   * store decides it (UNKNOWN_ACTION_TYPE, UNKNOWN_TARGET_TYPE), unless its id is
   * already logged with the same content: a retry after a configuration change still
   * answers the original result. `path` prefixes field paths.
   */
  prepare(input: unknown, receivedAt: number = this.clock(), path = "", validated = false): Submission {
    const parsed = validated ? (input as z.output<typeof actionInputSchema>) : parseOrThrow(actionInputSchema, input, path === "" ? "action" : path, "VALIDATION_FAILED", path);
    const { action, canonical } = normalizeAction(parsed, receivedAt, path);
    return { action, hash: contentHash(canonical), dated: parsed.at !== undefined, refused: this.book.refusal(action) };
  }

  /** Submits one action. Same id and content again returns the original result with `replay: true`. */
  async submit(action: ActionInput): Promise<SubmitResult> {
    const [result] = await this.submitBatch([action]);
    return result as SubmitResult;
  }

  /** Submits actions in one transaction: all are applied, or none and the error is thrown. */
  async submitBatch(actions: readonly ActionInput[]): Promise<SubmitResult[]> {
    const [outcome] = await this.submitUnits([actions]);
    if (outcome === undefined) return [];
    if (!outcome.ok) throw outcome.error;
    return outcome.results;
  }

  /**
   * Submits several independent units in one transaction (group commit). Each unit
   * is all-or-nothing on its own; a unit that fails validation or breaks a contract
   * reports its error and the others are applied. `validated: true` says every action
   * is already the output of `actionInputSchema` (the HTTP routes parse bodies with it),
   * so the shape is not checked twice; everything else still is.
   */
  async submitUnits(units: ReadonlyArray<readonly unknown[]>, options: { validated?: boolean } = {}): Promise<UnitOutcome[]> {
    const now = this.clock();
    const outcomes: Array<UnitOutcome | null> = [];
    const valid: Submission[][] = [];
    for (const unit of units) {
      try {
        // A list, made dense: a hole is an action that is missing, not one to skip.
        const list = parseOrThrow(unitSchema, unit, "actions");
        const batch = list.length > 1;
        valid.push(list.map((a, i) => this.prepare(a, now, batch ? `actions[${i}]` : "", options.validated === true)));
        outcomes.push(null);
      } catch (e) {
        if (!isReputeError(e)) throw e;
        outcomes.push({ ok: false, error: e });
      }
    }
    const stored = valid.length === 0 ? [] : await this.submitPrepared(valid);
    let next = 0;
    return outcomes.map((o) => o ?? (stored[next++] as UnitOutcome));
  }

  /**
   * Submits units already validated by `prepare` (see `submitUnits`). Pending points
   * whose boundary has passed are published first, so a result's `before` and `after`
   * are the snapshots as of now whether or not a read published them already.
   */
  async submitPrepared(units: Submission[][]): Promise<UnitOutcome[]> {
    await this.publishDue();
    return this.store.submit(units, this.book, this.clock());
  }

  /**
   * Adds or removes points by hand, with a reason; recorded in the ledger as an
   * `adjust` action by `by` (rolls up like any award, ignores caps and floor).
   */
  async adjust(input: AdjustInput): Promise<SubmitResult> {
    const a = parseOrThrow(adjustInputSchema, input, "adjustment");
    return this.submit({
      id: a.id ?? `adjust:${randomUUID()}`,
      type: "adjust",
      actor: a.by,
      target: { type: "user", id: a.user },
      ...(a.topic === undefined ? {} : { topic: a.topic }),
      ...(a.at === undefined ? {} : { at: a.at }),
      data: { points: a.points, reason: a.reason },
    });
  }

  /** A recorded action with its original result, or null. */
  async action(id: string): Promise<ActionView | null> {
    const rec = await this.store.action(parseOrThrow(actionIdSchema, id, "action id"));
    if (rec === null) return null;
    const action = { ...rec.action, at: new Date(rec.action.at).toISOString() };
    return { action, revertedBy: rec.revertedBy, rulesVersion: rec.rulesVersion, result: toResult(rec, false, this.book) };
  }

  /** A user's reputation in every topic they have points in (the global total always, when kept), or in one topic. */
  async reputation(user: string, options: ReputationOptions = {}): Promise<ReputationView> {
    parseOrThrow(userIdSchema, user, "user id");
    const q = parseOrThrow(reputationQuerySchema, options, "reputation query");
    const now = this.clock();
    if (q.topic !== undefined) {
      const topic = q.topic === GLOBAL_TOPIC || this.store.knownTopic(q.topic) !== undefined ? q.topic : await this.knownTopic(q.topic);
      const [s] = await this.store.snapshots(user, topic);
      return { user, topics: [topicReputation(s ?? emptySnapshot(user, topic), this.book, now)] };
    }
    const snapshots = await this.store.snapshots(user);
    if (this.book.global && !snapshots.some((s) => s.topic === GLOBAL_TOPIC)) snapshots.unshift(emptySnapshot(user, GLOBAL_TOPIC));
    snapshots.sort((a, b) => (a.topic === GLOBAL_TOPIC ? -1 : b.topic === GLOBAL_TOPIC ? 1 : a.topic < b.topic ? -1 : 1));
    return { user, topics: snapshots.map((s) => topicReputation(s, this.book, now)) };
  }

  /** A user's ledger entries, newest first, with reasons; pass `nextCursor` back for the next page. */
  async history(user: string, options: HistoryOptions = {}): Promise<HistoryPage> {
    parseOrThrow(userIdSchema, user, "user id");
    const q = parseOrThrow(historyQuerySchema, options, "history query");
    // A topic that does not exist is TOPIC_NOT_FOUND, as for every other read that names one.
    if (q.topic !== undefined) await this.knownTopic(q.topic);
    const topic = q.topic ?? null;
    let before: number | undefined;
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor, historyCursorSchema);
      if (c.user !== user || c.topic !== topic) throw new ReputeError("CURSOR_INVALID", "the cursor belongs to another history");
      before = c.before;
    }
    const rows = await this.store.history(user, { limit: q.limit + 1, before, topic: topic ?? undefined });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit && last !== undefined ? encodeCursor({ k: "h", user, topic, before: last.id }) : null;
    return { user, entries: page.map((r) => historyEntry(r, this.book)), nextCursor };
  }

  /** The top of a topic by published points, optionally one level only; pass `nextCursor` for more. */
  async leaderboard(topic: string = GLOBAL_TOPIC, options: LeaderboardOptions = {}): Promise<LeaderboardPage> {
    const q = parseOrThrow(boardQuerySchema, options, "leaderboard query");
    await this.knownTopic(topic);
    await this.publishDue();
    const ladder = this.book.ladder(topic);
    const level = q.level ?? null;
    const range = level === null ? { min: null, max: null } : ladder.range(level);
    if (range === null) {
      throw new ReputeError("LEVEL_NOT_FOUND", `topic "${topic}" has no level "${level}" (levels: ${ladder.levels.map((l) => l.name).join(", ")})`, { topic, level });
    }
    let after: { points: number; user: string } | undefined;
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor, boardCursorSchema);
      if (c.topic !== topic || c.level !== level) throw new ReputeError("CURSOR_INVALID", "the cursor belongs to another leaderboard");
      after = { points: c.points, user: c.user };
    }
    const rows = await this.store.leaderboard(topic, { limit: q.limit + 1, after, min: range.min, max: range.max, pending: !this.book.publication.immediate });
    const page = rows.slice(0, q.limit);
    const entries = await this.rankPage(topic, page, ladder, after === undefined && level === null);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit && last !== undefined ? encodeCursor({ k: "b", topic, level, points: last.points, user: last.user }) : null;
    return { topic, entries, nextCursor };
  }

  /**
   * Ranks a leaderboard page with one histogram query: the first row's rank is 1 +
   * the users above it; every later row's follows from the page itself, because all
   * users with points between two rows of a page are on that page. Ties share a rank.
   * The top page of the whole board (`fromTop`) needs no query: nobody is above its
   * first row, and if any row has fewer points, every user tied with the first is on it.
   */
  private async rankPage(topic: string, page: readonly BoardRow[], ladder: Ladder, fromTop: boolean): Promise<LeaderboardRow[]> {
    const first = page[0];
    if (first === undefined) return [];
    const { above, at } = fromTop ? { above: 0, at: page.filter((s) => s.points === first.points).length } : await this.store.countAbove(topic, first.points);
    let between = 0; // rows of this page below the first row's points and above the current one
    let rank = above + 1;
    return page.map((s, i) => {
      if (s.points !== first.points && s.points !== (page[i - 1] as BoardRow).points) rank = above + at + between + 1;
      if (s.points !== first.points) between++;
      return { rank, user: s.user, points: s.points, pending: s.pending, level: ladder.levelFor(s.points).name };
    });
  }

  /** Where a user stands in a topic: 1 + the number of users with more published points. */
  async rank(user: string, topic: string = GLOBAL_TOPIC): Promise<RankView> {
    parseOrThrow(userIdSchema, user, "user id");
    await this.knownTopic(topic);
    await this.publishDue();
    const [s] = await this.store.snapshots(user, topic);
    const points = s?.points ?? 0;
    const { above, total } = await this.store.countAbove(topic, points);
    return { user, topic, rank: s === undefined ? null : above + 1, of: total, points, level: this.book.ladder(topic).levelFor(points).name };
  }

  /** The topic tree, parents first. */
  async topics(): Promise<Topic[]> {
    return this.store.topics();
  }

  /** Adds topics (parents first); an existing topic with the same parent is left as it is. Returns those created. */
  async addTopics(topics: TopicInput | TopicInput[]): Promise<Topic[]> {
    const list = parseOrThrow(z.array(topicInputSchema), Array.isArray(topics) ? topics : [topics], "topics");
    return this.store.addTopics(list, this.clock());
  }

  /** Publishes pending points whose boundary has passed (submits and reads that rank do it themselves). */
  async publishDue(): Promise<number> {
    const pub = this.book.publication;
    if (pub.immediate) return 0;
    const period = pub.period(this.clock());
    // The watermark only moves on: once this process saw a period published, it stays so.
    if (period <= this.publishedThrough) return 0;
    const moved = (await this.store.watermark()) >= period ? 0 : await this.store.publish(period, this.book);
    this.publishedThrough = period;
    return moved;
  }

  /** Recomputes every snapshot from the ledger; `changed` is 0 when the kept snapshots were right. */
  async rebuild(): Promise<RebuildReport> {
    await this.publishDue();
    return this.store.rebuild(this.book);
  }

  /** Checks every invariant; `ok` is false when a violation was found. */
  async verify(): Promise<VerifyReport> {
    await this.publishDue();
    const violations = await this.store.verify(this.book);
    return { ok: violations.length === 0, violations };
  }

  /** Resolves when the database answers (readiness); rejects with STORE_FAILED when it does not. */
  async ping(): Promise<void> {
    await this.store.ping();
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private async knownTopic(topic: string): Promise<string> {
    parseOrThrow(topicIdSchema, topic, "topic");
    if (topic === GLOBAL_TOPIC || this.store.knownTopic(topic) !== undefined) return topic;
    if ((await this.store.topic(topic)) === null) throw new ReputeError("TOPIC_NOT_FOUND", `topic "${topic}" does not exist`, { topic });
    return topic;
  }
}
