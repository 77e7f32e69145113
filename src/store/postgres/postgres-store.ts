import pg from "pg";
import { ReputeError, isReputeError } from "../../core/errors.js";
import { type Keys, type Submission, missingKeys, noKeys } from "../../core/keys.js";
import type { RuleBook } from "../../core/rule-book.js";
import type { ReputeConfig } from "../../core/rules/repute-config.js";
import type { Snapshot } from "../../core/snapshot.js";
import { State } from "../../core/state.js";
import type { ActionRecord } from "../../core/submit-result.js";
import type { Topic, TopicInput } from "../../core/topic-tree.js";
import type { ApiKeyRecord, ApiKeyRole } from "../api-key-record.js";
import { type DecidedUnit, decideUnit } from "../decide-unit.js";
import { DirtySnapshots } from "../dirty-snapshots.js";
import { RankDeltas } from "../rank-buckets.js";
import type { BoardRow, HistoryRow, LeaderboardQuery, RebuildReport, Store, UnitOutcome } from "../store.js";
import type { Violation } from "../violation.js";
import { PUBLISH_LOCK } from "./lock-keys.js";
import type { PgClient, PgPool, PgQueryable } from "./pg-driver.js";
import { pgNumberTypes } from "./pg-number-types.js";
import { activeApiKey, createApiKey, listApiKeys, revokeApiKey } from "./postgres-api-keys.js";
import { PostgresBatchWrites, addRankCounts } from "./postgres-batch-writes.js";
import { type HeldLocks, lockAndLoad, missingFrom } from "./postgres-loader.js";
import { followPublicationPostgres, rebuildPostgres, verifyPostgres } from "./postgres-maintenance.js";
import { migratePostgres, quoteIdent } from "./postgres-migrate.js";
import { readAction, readCountAbove, readHistory, readLeaderboard, readSnapshots, readWatermark } from "./postgres-reads.js";
import { currentRulesConfig, listRulesVersions, registerRulesVersion } from "./postgres-rules-versions.js";
import { PostgresTopicTree } from "./postgres-topic-tree.js";
import { RetryTransaction } from "./retry-transaction.js";
import { parsePostgresUrl } from "./postgres-url.js";

/** Attempts of one transaction when PostgreSQL asks for a retry (deadlock, serialization failure) or a topic raced. */
const MAX_ATTEMPTS = 12;
/** SQLSTATEs after which the whole transaction is safely retried: decisions are pure, so a retry decides afresh. */
const RETRYABLE = new Set(["40001", "40P01", "55P03"]);

/** Thrown by the decision loop when a unit needs state not yet locked and loaded. */
class NeedState {
  constructor(readonly keys: Keys) {}
}

/**
 * The PostgreSQL store: the same contract as SQLite, correct with many processes
 * and service instances on one database. Each transaction takes an advisory lock on
 * every key it loads (snapshots, counters, awards, actions, targets) in one global
 * order before reading them, writes with one multi-row statement per kind, and is
 * retried from scratch when PostgreSQL reports a deadlock or serialization failure.
 */
export class PostgresStore implements Store {
  readonly dialect = "postgres" as const;
  private readonly topicTree = new PostgresTopicTree();

  private constructor(
    private readonly pool: PgPool,
    readonly schema: string,
  ) {}

  /** Connects, creating the schema and migrating it under an advisory lock when needed. */
  static async open(location: string, now: number): Promise<PostgresStore> {
    const loc = parsePostgresUrl(location);
    const options = [loc.options, `-c search_path=${quoteIdent(loc.schema)}`].filter((o) => o !== undefined && o !== "").join(" ");
    const pool = new pg.Pool({ connectionString: loc.connectionString, max: loc.poolSize, options, types: pgNumberTypes });
    // A client's error (a restarted or failed-over server, a terminated backend) must not
    // crash the host: the query in flight fails with it (STORE_FAILED), the next one reports
    // it. The pool only listens on idle clients; a checked-out one needs its own listener.
    pool.on("error", () => undefined);
    pool.on("connect", (client) => client.on("error", () => undefined));
    try {
      await migratePostgres(pool as unknown as PgPool, loc.schema, now);
    } catch (e) {
      await pool.end();
      throw wrap(e);
    }
    return new PostgresStore(pool as unknown as PgPool, loc.schema);
  }

  /**
   * A store on a pool the caller made (anything of `pg.Pool`'s shape — the benchmarks
   * pass one that records every statement). Its connections must use `schema` as their
   * search path. Migrates under the advisory lock.
   */
  static async fromPool(pool: PgPool, schema: string, now: number): Promise<PostgresStore> {
    await migratePostgres(pool, schema, now).catch((e: unknown) => {
      throw wrap(e);
    });
    return new PostgresStore(pool, schema);
  }

  /** Runs `fn` in a transaction, retrying it whole when PostgreSQL asks for it. */
  private async tx<T>(fn: (c: PgClient, attempt: number) => Promise<T>, isolation = "READ COMMITTED"): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: PgClient;
      try {
        client = await this.pool.connect();
      } catch (e) {
        throw wrap(e);
      }
      let broken = false;
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
        const result = await fn(client, attempt);
        await client.query("COMMIT");
        return result;
      } catch (e) {
        // A client whose ROLLBACK fails has lost its connection: the pool must not hand it out again.
        broken = await client.query("ROLLBACK").then(
          () => false,
          () => true,
        );
        const code = (e as { code?: string }).code;
        const retry = e instanceof RetryTransaction || (code !== undefined && RETRYABLE.has(code));
        if (retry && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        throw wrap(e);
      } finally {
        client.release(broken);
      }
    }
  }

  /** Runs `fn` on the pool outside a transaction (each statement commits on its own), wrapping driver errors. */
  private async read<T>(fn: (db: PgQueryable) => Promise<T>): Promise<T> {
    try {
      return await fn(this.pool);
    } catch (e) {
      throw wrap(e);
    }
  }

  async registerConfig(config: ReputeConfig, hash: string, now: number): Promise<number> {
    return this.tx((c) => registerRulesVersion(c, config, hash, now));
  }

  async latestConfig(): Promise<unknown | null> {
    return this.read((db) => currentRulesConfig(db));
  }

  async rulesVersions(): Promise<Array<{ version: number; config: unknown; createdAt: number }>> {
    return this.read((db) => listRulesVersions(db));
  }

  async topics(): Promise<Topic[]> {
    return this.read(async (db) => (await this.topicTree.refresh(db)).list());
  }

  knownTopic(id: string): Topic | undefined {
    return this.topicTree.current.get(id);
  }

  async topic(id: string): Promise<Topic | null> {
    // Topics are never removed or moved, so a known topic needs no refresh; an unknown one may be new.
    return this.topicTree.current.get(id) ?? this.read(async (db) => (await this.topicTree.refresh(db)).get(id) ?? null);
  }

  async addTopics(inputs: TopicInput[], now: number): Promise<Topic[]> {
    const created = await this.tx((c) => this.topicTree.add(c, inputs, now));
    if (created.length > 0) this.topicTree.changed();
    return created;
  }

  async submit(units: Submission[][], book: RuleBook, now: number): Promise<UnitOutcome[]> {
    // Keys locked by an attempt that had to be retried: the next attempt locks them all first, in order.
    let hint: Keys | null = null;
    const { outcomes, topicsCreated } = await this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock_shared($1)", [PUBLISH_LOCK.toString()]);
      const meta = new Map(
        (await c.query<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('watermark', 'topics_version')")).rows.map((r) => [r.key, r.value]),
      );
      const tree = await this.topicTree.refresh(c, meta.get("topics_version"));
      const root = new State(tree, Number(meta.get("watermark") ?? 0));
      const locked: Keys = { actions: [], snapshots: [], counters: [], awards: [], targets: [] };
      const held: HeldLocks = { max: null };
      const load = async (keys: Keys) => {
        // Into the hint before locking: a round that finds its keys taken retries with them first.
        for (const k of Object.keys(locked) as Array<keyof Keys>) (locked[k] as unknown[]).push(...(keys[k] as unknown[]));
        hint = locked;
        await lockAndLoad(c, keys, root, held);
      };
      if (hint !== null) await load(missingFrom(hint, root));
      const all = units.flat();
      for (let round = 0, keys = missingKeys(all, book, root); !noKeys(keys) && round < 6; round++, keys = missingKeys(all, book, root)) await load(keys);

      const writes = new PostgresBatchWrites();
      const dirty = new DirtySnapshots();
      const outcomes: UnitOutcome[] = [];
      for (const unit of units) {
        let decided: DecidedUnit | ReputeError | undefined;
        for (let tries = 0; decided === undefined; tries++) {
          try {
            // Always on a fork: a unit that stops for more state is decided again from its start.
            decided = decideUnit(unit, book, root, (keys) => {
              throw new NeedState(keys);
            });
          } catch (e) {
            if (e instanceof NeedState && tries < 10) await load(e.keys);
            else if (isReputeError(e) && e.code !== "STORE_FAILED") decided = e;
            else throw e;
          }
        }
        if (decided instanceof ReputeError) {
          outcomes.push({ ok: false, error: decided });
          continue;
        }
        for (const fx of decided.effects) {
          dirty.note(fx);
          writes.add(fx);
        }
        decided.state.commit();
        outcomes.push({ ok: true, results: decided.results });
      }
      const { snapshots, ranks } = dirty.final();
      await writes.write(c, snapshots, ranks, now);
      return { outcomes, topicsCreated: writes.createdTopics };
    });
    if (topicsCreated) this.topicTree.changed();
    return outcomes;
  }

  async action(id: string): Promise<ActionRecord | null> {
    return this.read((db) => readAction(db, id));
  }

  async snapshots(user: string, topic?: string): Promise<Snapshot[]> {
    return this.read((db) => readSnapshots(db, user, topic));
  }

  async history(user: string, query: { limit: number; before?: number | undefined; topic?: string | undefined }): Promise<HistoryRow[]> {
    return this.read((db) => readHistory(db, user, query));
  }

  async leaderboard(topic: string, q: LeaderboardQuery): Promise<BoardRow[]> {
    return this.read((db) => readLeaderboard(db, topic, q));
  }

  async countAbove(topic: string, points: number): Promise<{ above: number; at: number; total: number }> {
    return this.read((db) => readCountAbove(db, topic, points));
  }

  async watermark(): Promise<number> {
    return this.read((db) => readWatermark(db));
  }

  async publish(period: number, _book: RuleBook): Promise<number> {
    return this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock($1)", [PUBLISH_LOCK.toString()]);
      if ((await readWatermark(c)) >= period) return 0;
      const { rows } = await c.query<{ topic: string; before: number; after: number }>(
        `WITH moved AS (SELECT user_id, topic, points, pending FROM snapshots WHERE pending <> 0 AND period < $1)
         UPDATE snapshots s SET points = s.points + m.pending, pending = 0 FROM moved m
         WHERE s.user_id = m.user_id AND s.topic = m.topic RETURNING m.topic, m.points AS before, s.points AS after`,
        [period],
      );
      const ranks = new RankDeltas();
      for (const r of rows) ranks.move(r.topic, Number(r.before), Number(r.after));
      await addRankCounts(c, ranks);
      await c.query("UPDATE meta SET value = $1 WHERE key = 'watermark'", [String(period)]);
      return rows.length;
    });
  }

  async followPublication(book: RuleBook, period: number): Promise<RebuildReport | null> {
    return this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock($1)", [PUBLISH_LOCK.toString()]);
      return followPublicationPostgres(c, book, period);
    });
  }

  async rebuild(book: RuleBook): Promise<RebuildReport> {
    return this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock($1)", [PUBLISH_LOCK.toString()]);
      return rebuildPostgres(c, book, await readWatermark(c));
    });
  }

  async verify(book: RuleBook): Promise<Violation[]> {
    // One consistent snapshot of the database, while writers go on.
    return this.tx(async (c) => verifyPostgres(c, book, await readWatermark(c)), "REPEATABLE READ");
  }

  async createApiKey(key: { name: string; role: ApiKeyRole; hash: string; prefix: string; createdAt: number }): Promise<ApiKeyRecord> {
    return this.read((db) => createApiKey(db, key));
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.read((db) => activeApiKey(db, hash));
  }

  async apiKeys(): Promise<ApiKeyRecord[]> {
    return this.read((db) => listApiKeys(db));
  }

  async revokeApiKey(name: string, at: number): Promise<boolean> {
    return this.read((db) => revokeApiKey(db, name, at));
  }

  async ping(): Promise<void> {
    await this.read((db) => db.query("SELECT 1"));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Driver errors become STORE_FAILED with the original as cause; our own errors pass through. */
function wrap(e: unknown): unknown {
  if (isReputeError(e)) return e;
  const err = e as { code?: string; message?: string };
  if (err !== null && typeof err === "object" && (typeof err.code === "string" || e instanceof Error)) {
    return new ReputeError("STORE_FAILED", `database error: ${err.message ?? String(e)}`, err.code === undefined ? {} : { driverCode: err.code }, { cause: e });
  }
  return e;
}
