import Database from "better-sqlite3";
import { ReputeError, isReputeError } from "../../core/errors.js";
import type { Keys, Submission } from "../../core/keys.js";
import type { RuleBook } from "../../core/rule-book.js";
import type { ReputeConfig } from "../../core/rules/repute-config.js";
import type { Snapshot } from "../../core/snapshot.js";
import { State } from "../../core/state.js";
import type { ActionRecord } from "../../core/submit-result.js";
import type { Topic, TopicInput } from "../../core/topic-tree.js";
import type { ApiKeyRecord, ApiKeyRole } from "../api-key-record.js";
import { decideUnit } from "../decide-unit.js";
import { DirtySnapshots } from "../dirty-snapshots.js";
import { RankDeltas } from "../rank-buckets.js";
import { snapshotValues } from "../rows.js";
import type { BoardRow, HistoryRow, LeaderboardQuery, RebuildReport, Store, UnitOutcome } from "../store.js";
import type { Violation } from "../violation.js";
import { SqliteApiKeys } from "./sqlite-api-keys.js";
import { INLINE_CHECKPOINT_PAGES, SqliteCheckpointer } from "./sqlite-checkpointer.js";
import type { SqliteDriver, SqliteTransaction } from "./sqlite-driver.js";
import { followPublicationSqlite, rebuildSqlite, verifySqlite } from "./sqlite-maintenance.js";
import { migrateSqlite } from "./sqlite-migrate.js";
import { currentRulesConfig, listRulesVersions, registerRulesVersion } from "./sqlite-rules-versions.js";
import { readAction, readCountAbove, readHistory, readLeaderboard, readSnapshots } from "./sqlite-reads.js";
import { SqliteStateCache } from "./sqlite-state-cache.js";
import { SqliteStatements } from "./sqlite-statements.js";
import { loadKeys, writeEffects } from "./sqlite-submit-io.js";
import { SqliteTopicTree } from "./sqlite-topic-tree.js";
import { SqliteWalSync, type SyncTarget, walFile } from "./sqlite-wal-sync.js";

/** Options of the embedded store. */
export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /**
   * `normal` (default): WAL with synchronous=NORMAL — a crash of the process loses
   * nothing committed, a power cut may lose the last transactions. `full`: a write
   * resolves once it is on disk (fsync of the WAL, shared by the commits made while
   * one runs; see SqliteWalSync).
   */
  durability?: "normal" | "full";
}

/**
 * The embedded store: better-sqlite3 in WAL mode, a batch in one synchronous
 * IMMEDIATE transaction, every statement prepared once.
 */
export class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  private readonly st: SqliteStatements;
  private readonly keys: SqliteApiKeys;
  private readonly topicTree: SqliteTopicTree;
  private readonly checkpointer: SqliteCheckpointer | null;
  private readonly cache = new SqliteStateCache();
  /** The submit transaction, built once: better-sqlite3 builds a wrapper on every `transaction()` call. */
  private readonly submitTx: SqliteTransaction<[Submission[][], RuleBook, number, Topic[]], [UnitOutcome[], State | null]>;
  /** The published watermark as of the cache's data version. */
  private watermarkCached = 0;
  /** Durable writes (durability full on a file): every write waits for an fsync of the WAL. */
  private readonly wal: SqliteWalSync | null;

  private constructor(
    private readonly db: SqliteDriver,
    path: string | null,
    wal: SyncTarget | null,
  ) {
    this.st = new SqliteStatements(db);
    this.keys = new SqliteApiKeys(db);
    this.topicTree = new SqliteTopicTree(this.st);
    this.submitTx = db.transaction((units: Submission[][], book: RuleBook, now: number, created: Topic[]) => this.submitInTransaction(units, book, now, created));
    this.checkpointer = path === null ? null : new SqliteCheckpointer(path, (pages) => db.pragma(`wal_autocheckpoint = ${pages}`));
    this.wal = wal === null ? null : new SqliteWalSync(wal);
  }

  /** Opens (creating and migrating when needed) a database file. */
  static open(options: SqliteStoreOptions): SqliteStore {
    let db: SqliteDriver;
    try {
      db = new Database(options.path) as unknown as SqliteDriver;
    } catch (e) {
      throw new ReputeError("STORE_FAILED", `cannot open database ${options.path}: ${(e as Error).message}`, { path: options.path }, { cause: e });
    }
    const file = options.path === ":memory:" || options.path === "" ? null : options.path;
    return SqliteStore.fromDriver(db, options.durability, file);
  }

  /**
   * A store on an opened driver (better-sqlite3, or anything of its shape — the
   * benchmarks pass one that records the statements the store runs). Sets the
   * pragmas and migrates; closes the driver when that fails. `path` is the database
   * file: with it the store checkpoints in the background and, at durability full,
   * fsyncs the WAL off the event loop (`wal` stands in for the WAL file in tests);
   * without it, full is SQLite's synchronous=FULL (an fsync inside every commit).
   */
  static fromDriver(db: SqliteDriver, durability: "normal" | "full" = "normal", path: string | null = null, wal?: SyncTarget): SqliteStore {
    try {
      db.pragma("journal_mode = WAL");
      const walTarget = durability === "full" && path !== null ? (wal ?? walFile(`${path}-wal`)) : null;
      db.pragma(`synchronous = ${durability === "full" && walTarget === null ? "FULL" : "NORMAL"}`);
      db.pragma("busy_timeout = 10000");
      db.pragma("temp_store = MEMORY");
      db.pragma("cache_size = -65536");
      // Checkpoint every 10 000 WAL pages (~40 MB) instead of SQLite's 1 000: each checkpoint
      // fsyncs, and on ordinary disks that was a third of the cost of every write. A store on
      // a file moves checkpoints to a background thread once it writes (SqliteCheckpointer).
      db.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
      migrateSqlite(db);
      return new SqliteStore(db, path, walTarget);
    } catch (e) {
      db.close();
      throw wrap(e);
    }
  }

  async registerConfig(config: ReputeConfig, hash: string, now: number): Promise<number> {
    return this.runWrite(() => this.db.transaction(() => registerRulesVersion(this.db, this.st, config, hash, now)).immediate());
  }

  async latestConfig(): Promise<unknown | null> {
    return this.run(() => currentRulesConfig(this.db));
  }

  async rulesVersions(): Promise<Array<{ version: number; config: unknown; createdAt: number }>> {
    return this.run(() => listRulesVersions(this.db));
  }

  async topics(): Promise<Topic[]> {
    return this.run(() => this.topicTree.refresh().list());
  }

  knownTopic(id: string): Topic | undefined {
    return this.topicTree.current.get(id);
  }

  async topic(id: string): Promise<Topic | null> {
    // Topics are never removed or moved, so a known topic needs no refresh; an unknown one may be new.
    return this.run(() => this.topicTree.current.get(id) ?? this.topicTree.refresh().get(id) ?? null);
  }

  async addTopics(inputs: TopicInput[], now: number): Promise<Topic[]> {
    return this.runWrite(() => {
      const created = this.db.transaction(() => this.topicTree.add(inputs, now)).immediate();
      this.topicTree.adopt(created);
      return created;
    });
  }

  async submit(units: Submission[][], book: RuleBook, now: number): Promise<UnitOutcome[]> {
    return this.runWrite(() => {
      const created: Topic[] = [];
      let outcomes: UnitOutcome[];
      let root: State | null;
      try {
        [outcomes, root] = this.submitTx.immediate(units, book, now, created);
      } catch (e) {
        this.cache.clear();
        throw e;
      }
      this.topicTree.adopt(created);
      // A lone unit that failed was decided on the root state itself: what it decided
      // before failing is in that state and nowhere else, so the cache starts over.
      if (root === null) this.cache.clear();
      else this.cache.absorb(root);
      this.checkpointer?.start();
      return outcomes;
    });
  }

  /** Decides and writes the units; returns their outcomes and the final state, null when that state holds a failed unit's decisions. */
  private submitInTransaction(units: Submission[][], book: RuleBook, now: number, created: Topic[]): [UnitOutcome[], State | null] {
    // Holding the write lock: if no other connection committed since our last transaction,
    // the cached state, topics and watermark are still the database's.
    if (!this.cache.validate(this.st.dataVersion.get() as number)) {
      this.topicTree.refresh();
      this.watermarkCached = this.watermarkNow();
    }
    const root = new State(this.topicTree.current, this.watermarkCached);
    const dirty = new DirtySnapshots();
    const outcomes: UnitOutcome[] = [];
    const load = (keys: Keys) => loadKeys(this.st, this.cache, keys, root);
    // A lone unit decides on the transaction's own state, which is dropped if it fails; units of a
    // group decide on it under an undo journal, so a failed one is undone in place.
    const isolation = units.length > 1 ? "journal" : "none";
    let tainted = false;
    for (const unit of units) {
      let decided;
      try {
        decided = decideUnit(unit, book, root, load, isolation);
      } catch (e) {
        if (!isReputeError(e) || e.code === "STORE_FAILED") throw e;
        outcomes.push({ ok: false, error: e });
        tainted = isolation === "none";
        continue;
      }
      decided.state.commit();
      for (const fx of decided.effects) {
        dirty.note(fx);
        writeEffects(this.st, fx, now);
        created.push(...fx.topicsCreated);
      }
      outcomes.push({ ok: true, results: decided.results });
    }
    const { snapshots, ranks } = dirty.final();
    for (const s of snapshots) this.st.upsertSnapshot.run(...snapshotValues(s));
    for (const c of ranks.changes()) this.st.addRankCount.run(c.topic, c.level, c.bucket, c.delta);
    if (created.length > 0) this.topicTree.bump();
    return [outcomes, tainted ? null : root];
  }

  async action(id: string): Promise<ActionRecord | null> {
    return this.run(() => readAction(this.st, id));
  }

  async snapshots(user: string, topic?: string): Promise<Snapshot[]> {
    return this.run(() => readSnapshots(this.st, user, topic));
  }

  async history(user: string, query: { limit: number; before?: number | undefined; topic?: string | undefined }): Promise<HistoryRow[]> {
    return this.run(() => readHistory(this.st, user, query));
  }

  async leaderboard(topic: string, q: LeaderboardQuery): Promise<BoardRow[]> {
    return this.run(() => readLeaderboard(this.st, topic, q));
  }

  async countAbove(topic: string, points: number): Promise<{ above: number; at: number; total: number }> {
    return this.run(() => readCountAbove(this.st, topic, points));
  }

  async watermark(): Promise<number> {
    return this.run(() => this.watermarkNow());
  }

  private watermarkNow(): number {
    return Number(this.st.metaGet.get("watermark"));
  }

  async publish(period: number, _book: RuleBook): Promise<number> {
    return this.runWrite(() =>
      this.db
        .transaction(() => {
          if (this.watermarkNow() >= period) return 0;
          const rows = this.st.pendingBehind.all(period) as Array<{ user_id: string; topic: string; points: number; pending: number }>;
          const ranks = new RankDeltas();
          for (const r of rows) {
            this.st.publishOne.run(r.user_id, r.topic);
            ranks.move(r.topic, r.points, r.points + r.pending);
          }
          for (const c of ranks.changes()) this.st.addRankCount.run(c.topic, c.level, c.bucket, c.delta);
          this.st.metaSet.run("watermark", String(period));
          this.cache.clear();
          return rows.length;
        })
        .immediate(),
    );
  }

  async followPublication(book: RuleBook, period: number): Promise<RebuildReport | null> {
    return this.runWrite(() => {
      const report = this.db.transaction(() => followPublicationSqlite(this.db, book, period)).immediate();
      if (report !== null) this.cache.clear();
      return report;
    });
  }

  async rebuild(book: RuleBook): Promise<RebuildReport> {
    return this.runWrite(() => {
      this.cache.clear();
      return this.db.transaction(() => rebuildSqlite(this.db, book, this.watermarkNow())).immediate();
    });
  }

  async verify(book: RuleBook): Promise<Violation[]> {
    return this.run(() => this.db.transaction(() => verifySqlite(this.db, book, this.watermarkNow()))());
  }

  async createApiKey(key: { name: string; role: ApiKeyRole; hash: string; prefix: string; createdAt: number }): Promise<ApiKeyRecord> {
    return this.runWrite(() => this.keys.create(key));
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.run(() => this.keys.active(hash));
  }

  async apiKeys(): Promise<ApiKeyRecord[]> {
    return this.run(() => this.keys.list());
  }

  async revokeApiKey(name: string, at: number): Promise<boolean> {
    return this.runWrite(() => this.keys.revoke(name, at));
  }

  async ping(): Promise<void> {
    return this.run(() => {
      this.st.metaGet.get("watermark");
    });
  }

  async close(): Promise<void> {
    await this.wal?.close();
    await this.checkpointer?.stop();
    this.db.close();
  }

  /** Runs a synchronous write; at durability full, resolves once it is on disk. */
  private runWrite<T>(fn: () => T): Promise<T> {
    const written = this.run(fn);
    const wal = this.wal;
    if (wal === null) return written;
    return written.then((value) =>
      wal.sync().then(
        () => value,
        (e: unknown) => {
          throw new ReputeError("STORE_FAILED", `committed, but the write-ahead log could not be flushed to disk: ${(e as Error).message}`, { committed: true }, { cause: e });
        },
      ),
    );
  }

  /** Runs synchronous store work, wrapping driver errors as STORE_FAILED. */
  private run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(wrap(e));
    }
  }
}

/** Driver errors become STORE_FAILED with the original as cause; our own errors pass through. */
function wrap(e: unknown): unknown {
  if (isReputeError(e)) return e;
  if (e instanceof Database.SqliteError) return new ReputeError("STORE_FAILED", `database error: ${e.message}`, { driverCode: e.code }, { cause: e });
  return e;
}
