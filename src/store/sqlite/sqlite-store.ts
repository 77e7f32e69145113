import Database from "better-sqlite3";
import type { Effects } from "../../core/decide.js";
import { ReputeError, isReputeError } from "../../core/errors.js";
import type { Keys, Submission } from "../../core/keys.js";
import type { RuleBook } from "../../core/rule-book.js";
import type { ReputeConfig } from "../../core/rules/repute-config.js";
import { type Snapshot, snapshotKey } from "../../core/snapshot.js";
import { State, counterKey } from "../../core/state.js";
import type { ActionRecord } from "../../core/submit-result.js";
import { type Topic, type TopicInput, TopicTree } from "../../core/topic-tree.js";
import { decideUnit } from "../decide-unit.js";
import { DirtySnapshots } from "../dirty-snapshots.js";
import { RankDeltas, aboveRanges } from "../rank-buckets.js";
import { type ActionRow, type EntryRow, type SnapshotRow, actionFromRow, actionValues, entryFromRow, entryValues, recordFromRows, snapshotFromRow, snapshotValues } from "../rows.js";
import { type ApiKeyRow, apiKeyFromRow } from "../api-key-row.js";
import type { ApiKeyRecord, ApiKeyRole } from "../api-key-record.js";
import type { BoardRow, HistoryRow, LeaderboardQuery, RebuildReport, Store, UnitOutcome } from "../store.js";
import type { Violation } from "../violation.js";
import type { SqliteDriver, SqliteTransaction } from "./sqlite-driver.js";
import { rebuildSqlite, verifySqlite } from "./sqlite-maintenance.js";
import { INLINE_CHECKPOINT_PAGES, SqliteCheckpointer } from "./sqlite-checkpointer.js";
import { migrateSqlite } from "./sqlite-migrate.js";
import { SqliteStateCache } from "./sqlite-state-cache.js";
import { SqliteStatements } from "./sqlite-statements.js";
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

const MAX = Number.MAX_SAFE_INTEGER;
const MIN = Number.MIN_SAFE_INTEGER;

/**
 * The embedded store: better-sqlite3 in WAL mode, a batch in one synchronous
 * IMMEDIATE transaction, every statement prepared once.
 */
export class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  private readonly st: SqliteStatements;
  private tree = new TopicTree();
  private topicsVersion = "";
  private readonly checkpointer: SqliteCheckpointer | null;
  private readonly cache = new SqliteStateCache();
  /** The submit transaction, built once: better-sqlite3 builds a wrapper on every `transaction()` call. */
  private readonly submitTx: SqliteTransaction<[Submission[][], RuleBook, number, Topic[]], [UnitOutcome[], State]>;
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
    return this.runWrite(() =>
      this.db
        .transaction(() => {
          const found = this.db.prepare("SELECT version FROM rules_versions WHERE hash = ?").pluck().get(hash) as number | undefined;
          const version =
            found ??
            Number(
              this.db.prepare("INSERT INTO rules_versions (hash, config, created_at) VALUES (?, ?, ?) RETURNING version").pluck().get(hash, JSON.stringify(config), now),
            );
          this.st.metaSet.run("current_version", String(version));
          return version;
        })
        .immediate(),
    );
  }

  async latestConfig(): Promise<unknown | null> {
    return this.run(() => {
      const v = this.st.metaGet.get("current_version") as string | undefined;
      if (v === undefined) return null;
      const config = this.db.prepare("SELECT config FROM rules_versions WHERE version = ?").pluck().get(Number(v)) as string;
      return JSON.parse(config) as unknown;
    });
  }

  async rulesVersions(): Promise<Array<{ version: number; config: unknown; createdAt: number }>> {
    return this.run(() =>
      (this.db.prepare("SELECT version, config, created_at FROM rules_versions ORDER BY version").all() as Array<{ version: number; config: string; created_at: number }>).map(
        (r) => ({ version: r.version, config: JSON.parse(r.config) as unknown, createdAt: r.created_at }),
      ),
    );
  }

  async topics(): Promise<Topic[]> {
    return this.run(() => {
      this.refreshTopics();
      return this.tree.list();
    });
  }

  knownTopic(id: string): Topic | undefined {
    return this.tree.get(id);
  }

  async topic(id: string): Promise<Topic | null> {
    return this.run(() => {
      // Topics are never removed or moved, so a known topic needs no refresh; an unknown one may be new.
      const known = this.tree.get(id);
      if (known !== undefined) return known;
      this.refreshTopics();
      return this.tree.get(id) ?? null;
    });
  }

  async addTopics(inputs: TopicInput[], now: number): Promise<Topic[]> {
    return this.runWrite(() => {
      const created = this.db
        .transaction(() => {
          this.refreshTopics();
          const planned = new Map<string, Topic>();
          for (const input of inputs) {
            const t = this.tree.plan(input, (id) => planned.get(id) ?? this.tree.get(id));
            if (t !== null) planned.set(t.id, t);
          }
          for (const t of planned.values()) this.st.insertTopic.run(t.id, t.parent, t.depth, now);
          if (planned.size > 0) this.bumpTopicsVersion();
          return [...planned.values()];
        })
        .immediate();
      for (const t of created) this.tree.insert(t);
      return created;
    });
  }

  async submit(units: Submission[][], book: RuleBook, now: number): Promise<UnitOutcome[]> {
    return this.runWrite(() => {
      const created: Topic[] = [];
      let outcomes: UnitOutcome[];
      let root: State;
      try {
        [outcomes, root] = this.submitTx.immediate(units, book, now, created);
      } catch (e) {
        this.cache.clear();
        throw e;
      }
      for (const t of created) this.tree.insert(t);
      this.cache.absorb(root);
      this.checkpointer?.start();
      return outcomes;
    });
  }

  private submitInTransaction(units: Submission[][], book: RuleBook, now: number, created: Topic[]): [UnitOutcome[], State] {
    // Holding the write lock: if no other connection committed since our last transaction,
    // the cached state, topics and watermark are still the database's.
    if (!this.cache.validate(this.st.dataVersion.get() as number)) {
      this.refreshTopics();
      this.watermarkCached = this.watermarkNow();
    }
    const root = new State(this.tree, this.watermarkCached);
    const dirty = new DirtySnapshots();
    const outcomes: UnitOutcome[] = [];
    const load = (keys: Keys) => this.load(keys, root);
    for (const unit of units) {
      let decided;
      try {
        // A lone unit decides on the transaction's own state (dropped with it if it fails); units of a
        // group decide on it under an undo journal, so a failed one is undone in place.
        decided = decideUnit(unit, book, root, load, units.length > 1 ? "journal" : "none");
      } catch (e) {
        if (!isReputeError(e) || e.code === "STORE_FAILED") throw e;
        outcomes.push({ ok: false, error: e });
        continue;
      }
      decided.state.commit();
      for (const fx of decided.effects) {
        dirty.note(fx);
        this.write(fx, now);
        created.push(...fx.topicsCreated);
      }
      outcomes.push({ ok: true, results: decided.results });
    }
    const { snapshots, ranks } = dirty.final();
    for (const s of snapshots) this.st.upsertSnapshot.run(...snapshotValues(s));
    for (const c of ranks.changes()) this.st.addRankCount.run(c.topic, c.level, c.bucket, c.delta);
    if (created.length > 0) this.bumpTopicsVersion();
    return [outcomes, root];
  }

  /** Loads keys into the root state: from the state cache when it has them, else one cached prepared statement per key. */
  private load(keys: Keys, state: State): void {
    const st = this.st;
    const cache = this.cache;
    for (const id of keys.actions) {
      const row = st.actionById.get(id) as ActionRow | undefined;
      state.loadAction(id, row === undefined ? null : recordFromRows(row, st.entriesByAction.all(id) as EntryRow[]));
    }
    for (const { user, topic } of keys.snapshots) {
      const hit = cache.snapshots.get(snapshotKey(user, topic));
      if (hit !== undefined) {
        state.loadSnapshot(user, topic, hit);
        continue;
      }
      const row = st.snapshotGet.get(user, topic) as SnapshotRow | undefined;
      state.loadSnapshot(user, topic, row === undefined ? null : snapshotFromRow(row));
    }
    for (const { cap, user, day } of keys.counters) {
      const hit = cache.counters.get(counterKey(cap, user, day));
      state.loadCounter(cap, user, day, hit ?? (st.counterGet.get(cap, user, day) as number | undefined) ?? 0);
    }
    for (const key of keys.awards) {
      const hit = cache.awards.get(key);
      state.loadAward(key, hit !== undefined ? hit : ((st.awardGet.get(key) as string | undefined) ?? null));
    }
    for (const { type, id } of keys.targets) state.loadTarget(type, id, st.actionsByTarget.all(type, id) as string[]);
  }

  /** Writes one applied action's rows; snapshots and rank counts are written once per transaction. */
  private write(fx: Effects, now: number): void {
    const st = this.st;
    st.insertAction.run(...actionValues(fx.record, now));
    for (const e of fx.record.entries) st.insertEntry.run(...entryValues(e));
    for (const c of fx.counters) st.addCounter.run(c.cap, c.user, c.day, c.amount);
    for (const key of fx.awardsReleased) st.deleteAward.run(key);
    for (const { key, holder } of fx.awardsTaken) st.putAward.run(key, holder);
    for (const m of fx.marks) st.markReverted.run(m.revertedBy, m.id);
    for (const t of fx.topicsCreated) st.insertTopic.run(t.id, t.parent, t.depth, now);
  }

  async action(id: string): Promise<ActionRecord | null> {
    return this.run(() => {
      const row = this.st.actionById.get(id) as ActionRow | undefined;
      return row === undefined ? null : recordFromRows(row, this.st.entriesByAction.all(id) as EntryRow[]);
    });
  }

  async snapshots(user: string, topic?: string): Promise<Snapshot[]> {
    return this.run(() => {
      const rows = (topic === undefined ? this.st.snapshotsOfUser.all(user) : this.st.snapshotOfUser.all(user, topic)) as SnapshotRow[];
      return rows.map(snapshotFromRow);
    });
  }

  async history(user: string, query: { limit: number; before?: number | undefined; topic?: string | undefined }): Promise<HistoryRow[]> {
    return this.run(() => {
      const before = query.before ?? MAX;
      const rows = (
        query.topic === undefined ? this.st.history.all(user, before, query.limit) : this.st.historyInTopic.all(user, query.topic, before, query.limit)
      ) as Array<EntryRow & Record<string, unknown>>;
      return rows.map((r) => ({ id: Number(r.id), entry: entryFromRow(r), action: actionFromRow(historyAction(r)) }));
    });
  }

  async leaderboard(topic: string, q: LeaderboardQuery): Promise<BoardRow[]> {
    return this.run(() => {
      if (q.after === undefined && (q.min ?? null) === null && (q.max ?? null) === null) {
        return (q.pending === false ? this.st.leaderboardTopPublished : this.st.leaderboardTop).all(topic, q.limit) as BoardRow[];
      }
      const ap = q.after?.points ?? MAX;
      const au = q.after?.user ?? "";
      return this.st.leaderboard.all(topic, ap, ap, au, q.min ?? MIN, q.max ?? MAX, q.limit) as BoardRow[];
    });
  }

  async countAbove(topic: string, points: number): Promise<{ above: number; at: number; total: number }> {
    return this.run(() => {
      const row = this.st.countAbove.get({ topic, ...aboveRanges(points) }) as { above: number; at: number; total: number };
      return { above: Number(row.above), at: Number(row.at), total: Number(row.total) };
    });
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
    return this.runWrite(() => {
      try {
        const row = this.db
          .prepare("INSERT INTO api_keys (name, role, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *")
          .get(key.name, key.role, key.hash, key.prefix, key.createdAt) as ApiKeyRow;
        return apiKeyFromRow(row);
      } catch (e) {
        if (e instanceof Database.SqliteError && e.code.startsWith("SQLITE_CONSTRAINT")) {
          throw new ReputeError("KEY_NAME_TAKEN", `an active API key is already named "${key.name}"`, { name: key.name }, { cause: e });
        }
        throw e;
      }
    });
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.run(() => {
      const row = this.st.apiKeyByHash.get(hash) as ApiKeyRow | undefined;
      return row === undefined ? null : apiKeyFromRow(row);
    });
  }

  async apiKeys(): Promise<ApiKeyRecord[]> {
    return this.run(() => (this.db.prepare("SELECT * FROM api_keys ORDER BY id").all() as ApiKeyRow[]).map(apiKeyFromRow));
  }

  async revokeApiKey(name: string, at: number): Promise<boolean> {
    return this.runWrite(() => this.db.prepare("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL").run(at, name).changes > 0);
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

  private refreshTopics(): void {
    const v = this.st.metaGet.get("topics_version") as string;
    if (v === this.topicsVersion) return;
    this.tree = TopicTree.from(this.st.allTopics.all() as Topic[]);
    this.topicsVersion = v;
  }

  private bumpTopicsVersion(): void {
    const next = String(Number(this.st.metaGet.get("topics_version")) + 1);
    this.st.metaSet.run("topics_version", next);
    this.topicsVersion = next;
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

/** The action columns of a history row (prefixed `a_` to keep them apart from the entry's). */
function historyAction(r: Record<string, unknown>): ActionRow {
  return {
    id: r.action_id as string,
    hash: "",
    type: r.a_type as string,
    actor: r.a_actor as string,
    target_type: r.a_target_type as string | null,
    target_id: r.a_target_id as string | null,
    target_author: r.a_target_author as string | null,
    topic: r.a_topic as string | null,
    at: r.a_at as number,
    data: r.a_data as string | null,
    reverts: r.a_reverts as string | null,
    reverted_by: null,
    rules_version: 0,
    outcome: "{}",
  };
}

/** Driver errors become STORE_FAILED with the original as cause; our own errors pass through. */
function wrap(e: unknown): unknown {
  if (isReputeError(e)) return e;
  if (e instanceof Database.SqliteError) return new ReputeError("STORE_FAILED", `database error: ${e.message}`, { driverCode: e.code }, { cause: e });
  return e;
}
