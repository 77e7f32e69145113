import pg from "pg";
import { ReputeError, isReputeError } from "../../core/errors.js";
import { type Keys, type Submission, missingKeys, noKeys } from "../../core/keys.js";
import type { RuleBook } from "../../core/rule-book.js";
import type { ReputeConfig } from "../../core/rules/repute-config.js";
import type { Snapshot } from "../../core/snapshot.js";
import { State } from "../../core/state.js";
import type { ActionRecord } from "../../core/submit-result.js";
import { type Topic, type TopicInput, TopicTree } from "../../core/topic-tree.js";
import type { ApiKeyRecord, ApiKeyRole } from "../api-key-record.js";
import { type ApiKeyRow, apiKeyFromRow } from "../api-key-row.js";
import { type DecidedUnit, decideUnit } from "../decide-unit.js";
import { DirtySnapshots } from "../dirty-snapshots.js";
import { rebuildProgram } from "../maintenance/rebuild-program.js";
import type { RecordedVersion } from "../maintenance/rule-tables.js";
import { type SqlStep, runAsync } from "../maintenance/sql-program.js";
import { verifyProgram } from "../maintenance/verify-program.js";
import { RankDeltas, aboveRanges } from "../rank-buckets.js";
import { type ActionRow, type EntryRow, type SnapshotRow, actionFromRow, entryFromRow, recordFromRows, snapshotFromRow } from "../rows.js";
import type { BoardRow, HistoryRow, LeaderboardQuery, RebuildReport, Store, UnitOutcome } from "../store.js";
import type { Violation } from "../violation.js";
import { PUBLISH_LOCK, lockOf } from "./lock-keys.js";
import type { PgClient, PgPool, PgQueryable } from "./pg-driver.js";
import { PostgresBatchWrites, addRankCounts } from "./postgres-batch-writes.js";
import { lockAndLoad } from "./postgres-loader.js";
import { migratePostgres, quoteIdent } from "./postgres-migrate.js";
import { parsePostgresUrl } from "./postgres-url.js";

const MAX = Number.MAX_SAFE_INTEGER;
const MIN = Number.MIN_SAFE_INTEGER;
/** Attempts of one transaction when PostgreSQL asks for a retry (deadlock, serialization failure). */
const MAX_ATTEMPTS = 12;
/** SQLSTATEs after which the whole transaction is safely retried: decisions are pure, so a retry decides afresh. */
const RETRYABLE = new Set(["40001", "40P01", "55P03"]);

/** Thrown by the decision loop when a unit needs state not yet locked and loaded. */
class NeedState {
  constructor(readonly keys: Keys) {}
}

/** BIGINT and NUMERIC (sums) as numbers: every value Repute stores fits a double exactly. */
export const pgNumberTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

/**
 * The PostgreSQL store: the same contract as SQLite, correct with many processes
 * and service instances on one database. Each transaction takes an advisory lock on
 * every key it loads (snapshots, counters, awards, actions, targets) in one global
 * order before reading them, writes with one multi-row statement per kind, and is
 * retried from scratch when PostgreSQL reports a deadlock or serialization failure.
 */
export class PostgresStore implements Store {
  readonly dialect = "postgres" as const;
  private tree = new TopicTree();
  private topicsVersion = "";

  private constructor(
    private readonly pool: PgPool,
    readonly schema: string,
  ) {}

  /** Connects, creating the schema and migrating it under an advisory lock when needed. */
  static async open(location: string, now: number): Promise<PostgresStore> {
    const loc = parsePostgresUrl(location);
    const pool = new pg.Pool({ connectionString: loc.connectionString, max: loc.poolSize, options: `-c search_path=${quoteIdent(loc.schema)}`, types: pgNumberTypes });
    // An idle client's error (a restarted server) must not crash the host; the next query reports it.
    pool.on("error", () => undefined);
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
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
        const result = await fn(client, attempt);
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        const code = (e as { code?: string }).code;
        if (code !== undefined && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        throw wrap(e);
      } finally {
        client.release();
      }
    }
  }

  private async read<T>(fn: (db: PgQueryable) => Promise<T>): Promise<T> {
    try {
      return await fn(this.pool);
    } catch (e) {
      throw wrap(e);
    }
  }

  async registerConfig(config: ReputeConfig, hash: string, now: number): Promise<number> {
    return this.tx(async (c) => {
      await c.query("INSERT INTO rules_versions (hash, config, created_at) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING", [hash, JSON.stringify(config), now]);
      const { rows } = await c.query<{ version: number }>("SELECT version FROM rules_versions WHERE hash = $1", [hash]);
      const version = Number(rows[0]?.version);
      await c.query("INSERT INTO meta (key, value) VALUES ('current_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(version)]);
      return version;
    });
  }

  async latestConfig(): Promise<unknown | null> {
    return this.read(async (db) => {
      const { rows } = await db.query<{ config: string }>(
        "SELECT r.config FROM rules_versions r JOIN meta m ON m.key = 'current_version' AND r.version = m.value::bigint",
      );
      return rows[0] === undefined ? null : (JSON.parse(rows[0].config) as unknown);
    });
  }

  async rulesVersions(): Promise<Array<{ version: number; config: unknown; createdAt: number }>> {
    return this.read(async (db) => (await this.versions(db)).map((v) => ({ ...v, createdAt: v.createdAt })));
  }

  private async versions(db: PgQueryable): Promise<Array<RecordedVersion & { createdAt: number }>> {
    const { rows } = await db.query<{ version: number; config: string; created_at: number }>("SELECT version, config, created_at FROM rules_versions ORDER BY version");
    return rows.map((r) => ({ version: Number(r.version), config: JSON.parse(r.config) as unknown, createdAt: Number(r.created_at) }));
  }

  async topics(): Promise<Topic[]> {
    return this.read(async (db) => {
      await this.refreshTopics(db);
      return this.tree.list();
    });
  }

  knownTopic(id: string): Topic | undefined {
    return this.tree.get(id);
  }

  async topic(id: string): Promise<Topic | null> {
    // Topics are never removed or moved, so a known topic needs no refresh; an unknown one may be new.
    const known = this.tree.get(id);
    if (known !== undefined) return known;
    return this.read(async (db) => {
      await this.refreshTopics(db);
      return this.tree.get(id) ?? null;
    });
  }

  async addTopics(inputs: TopicInput[], now: number): Promise<Topic[]> {
    const created = await this.tx(async (c) => {
      const ids = [...new Set(inputs.map((t) => t.id))].map((id) => lockOf("topic", id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (ids.length > 0) await c.query("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k", [ids.map(String)]);
      const tree = TopicTree.from((await c.query<Topic>("SELECT id, parent, depth FROM topics")).rows);
      const planned = new Map<string, Topic>();
      for (const input of inputs) {
        const t = tree.plan(input, (id) => planned.get(id) ?? tree.get(id));
        if (t !== null) planned.set(t.id, t);
      }
      const list = [...planned.values()];
      if (list.length > 0) {
        await c.query("INSERT INTO topics (id, parent, depth, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])", [
          list.map((t) => t.id),
          list.map((t) => t.parent),
          list.map((t) => t.depth),
          list.map(() => now),
        ]);
        await c.query("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'topics_version'");
      }
      return list;
    });
    if (created.length > 0) this.topicsVersion = "";
    return created;
  }

  private async refreshTopics(db: PgQueryable, version?: string): Promise<void> {
    const v = version ?? (await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'topics_version'")).rows[0]?.value ?? "0";
    if (v === this.topicsVersion) return;
    this.tree = TopicTree.from((await db.query<Topic>("SELECT id, parent, depth FROM topics")).rows);
    this.topicsVersion = v;
  }

  async submit(units: Submission[][], book: RuleBook, now: number): Promise<UnitOutcome[]> {
    // Keys locked by an attempt that had to be retried: the next attempt locks them all first, in order.
    let hint: Keys | null = null;
    const { outcomes, topicsCreated } = await this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock_shared($1)", [PUBLISH_LOCK.toString()]);
      const meta = new Map(
        (await c.query<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('watermark', 'topics_version')")).rows.map((r) => [r.key, r.value]),
      );
      await this.refreshTopics(c, meta.get("topics_version"));
      const root = new State(this.tree, Number(meta.get("watermark") ?? 0));
      const locked: Keys = { actions: [], snapshots: [], counters: [], awards: [], targets: [] };
      const load = async (keys: Keys) => {
        await lockAndLoad(c, keys, root);
        for (const k of Object.keys(locked) as Array<keyof Keys>) (locked[k] as unknown[]).push(...(keys[k] as unknown[]));
        hint = locked;
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
    if (topicsCreated) this.topicsVersion = "";
    return outcomes;
  }

  async action(id: string): Promise<ActionRecord | null> {
    return this.read(async (db) => {
      const { rows } = await db.query<ActionRow>("SELECT * FROM actions WHERE id = $1", [id]);
      const row = rows[0];
      if (row === undefined) return null;
      const entries = await db.query<EntryRow>("SELECT * FROM entries WHERE action_id = $1 ORDER BY idx", [id]);
      return recordFromRows(row, entries.rows);
    });
  }

  async snapshots(user: string, topic?: string): Promise<Snapshot[]> {
    return this.read(async (db) => {
      const { rows } =
        topic === undefined
          ? await db.query<SnapshotRow>("SELECT * FROM snapshots WHERE user_id = $1 ORDER BY topic", [user])
          : await db.query<SnapshotRow>("SELECT * FROM snapshots WHERE user_id = $1 AND topic = $2", [user, topic]);
      return rows.map(snapshotFromRow);
    });
  }

  async history(user: string, query: { limit: number; before?: number | undefined; topic?: string | undefined }): Promise<HistoryRow[]> {
    return this.read(async (db) => {
      const { rows } = await db.query<EntryRow & { a: ActionRow }>(
        `SELECT e.*, row_to_json(a) AS a FROM entries e JOIN actions a ON a.id = e.action_id
         WHERE e.user_id = $1 AND e.id < $2 AND ($3::text IS NULL OR e.topic = $3) ORDER BY e.id DESC LIMIT $4`,
        [user, query.before ?? MAX, query.topic ?? null, query.limit],
      );
      return rows.map((r) => ({ id: Number(r.id), entry: entryFromRow(r), action: actionFromRow({ ...r.a, at: Number(r.a.at) }) }));
    });
  }

  async leaderboard(topic: string, q: LeaderboardQuery): Promise<BoardRow[]> {
    return this.read(async (db) => {
      if (q.after === undefined && (q.min ?? null) === null && (q.max ?? null) === null) {
        const top = await db.query<BoardRow>(`SELECT user_id AS "user", points, pending FROM snapshots WHERE topic = $1 ORDER BY points DESC, user_id ASC LIMIT $2`, [
          topic,
          q.limit,
        ]);
        return top.rows;
      }
      const ap = q.after?.points ?? MAX;
      const { rows } = await db.query<BoardRow>(
        `SELECT user_id AS "user", points, pending FROM snapshots WHERE topic = $1 AND points <= $2 AND (points < $2 OR user_id > $3) AND points >= $4 AND points < $5
         ORDER BY points DESC, user_id ASC LIMIT $6`,
        [topic, ap, q.after?.user ?? "", q.min ?? MIN, q.max ?? MAX, q.limit],
      );
      return rows;
    });
  }

  async countAbove(topic: string, points: number): Promise<{ above: number; at: number; total: number }> {
    return this.read(async (db) => {
      const r = aboveRanges(points);
      const { rows } = await db.query<{ above: number; at: number; total: number }>(
        `SELECT
           (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 0 AND bucket > $2 AND bucket <= $3)
         + (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 1 AND bucket > $4 AND bucket <= $5)
         + (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 2 AND bucket > $6) AS above,
           (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 0 AND bucket = $2) AS at,
           (SELECT COALESCE(SUM(n), 0) FROM rank_counts WHERE topic = $1 AND level = 2) AS total`,
        [topic, r.low0, r.high0, r.low1, r.high1, r.low2],
      );
      return { above: Number(rows[0]?.above), at: Number(rows[0]?.at), total: Number(rows[0]?.total) };
    });
  }

  async watermark(): Promise<number> {
    return this.read(async (db) => Number((await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'watermark'")).rows[0]?.value ?? 0));
  }

  async publish(period: number, _book: RuleBook): Promise<number> {
    return this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock($1)", [PUBLISH_LOCK.toString()]);
      const current = Number((await c.query<{ value: string }>("SELECT value FROM meta WHERE key = 'watermark'")).rows[0]?.value ?? 0);
      if (current >= period) return 0;
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

  async rebuild(book: RuleBook): Promise<RebuildReport> {
    return this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock($1)", [PUBLISH_LOCK.toString()]);
      const watermark = Number((await c.query<{ value: string }>("SELECT value FROM meta WHERE key = 'watermark'")).rows[0]?.value ?? 0);
      return runAsync(rebuildProgram(book, watermark, await this.versions(c)), exec(c));
    });
  }

  async verify(book: RuleBook): Promise<Violation[]> {
    // One consistent snapshot of the database, while writers go on.
    return this.tx(async (c) => {
      const watermark = Number((await c.query<{ value: string }>("SELECT value FROM meta WHERE key = 'watermark'")).rows[0]?.value ?? 0);
      return runAsync(verifyProgram(book, watermark, await this.versions(c)), exec(c));
    }, "REPEATABLE READ");
  }

  async createApiKey(key: { name: string; role: ApiKeyRole; hash: string; prefix: string; createdAt: number }): Promise<ApiKeyRecord> {
    try {
      const { rows } = await this.pool.query<ApiKeyRow>(
        "INSERT INTO api_keys (name, role, hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *",
        [key.name, key.role, key.hash, key.prefix, key.createdAt],
      );
      return apiKeyFromRow(rows[0] as ApiKeyRow);
    } catch (e) {
      if ((e as { code?: string }).code === "23505") {
        throw new ReputeError("KEY_NAME_TAKEN", `an active API key is already named "${key.name}"`, { name: key.name }, { cause: e });
      }
      throw wrap(e);
    }
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.read(async (db) => {
      const { rows } = await db.query<ApiKeyRow>("SELECT * FROM api_keys WHERE hash = $1 AND revoked_at IS NULL", [hash]);
      return rows[0] === undefined ? null : apiKeyFromRow(rows[0]);
    });
  }

  async apiKeys(): Promise<ApiKeyRecord[]> {
    return this.read(async (db) => (await db.query<ApiKeyRow>("SELECT * FROM api_keys ORDER BY id")).rows.map(apiKeyFromRow));
  }

  async revokeApiKey(name: string, at: number): Promise<boolean> {
    return this.read(async (db) => ((await db.query("UPDATE api_keys SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL", [at, name])).rowCount ?? 0) > 0);
  }

  async ping(): Promise<void> {
    await this.read((db) => db.query("SELECT 1"));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Keys of `hint` the state has not loaded. */
function missingFrom(hint: Keys, state: State): Keys {
  return {
    actions: hint.actions.filter((id) => state.action(id) === undefined),
    snapshots: hint.snapshots.filter((k) => state.snapshot(k.user, k.topic) === undefined),
    counters: hint.counters.filter((k) => state.counter(k.cap, k.user, k.day) === undefined),
    awards: hint.awards.filter((k) => state.award(k) === undefined),
    targets: hint.targets.filter((k) => state.targetActions(k.type, k.id) === undefined),
  };
}

/** Runs maintenance steps, turning `?` placeholders into `$n`. */
function exec(c: PgQueryable): (step: SqlStep) => Promise<Record<string, unknown>[]> {
  return async (step) => {
    let n = 0;
    const text = step.sql.replace(/\?/g, () => `$${++n}`);
    const { rows } = await c.query(text, step.params);
    return step.mode === "all" ? rows : [];
  };
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
