import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { ActionInput } from "../../src/core/action.js";
import type { ReputeConfigInput } from "../../src/core/rules/repute-config.js";
import type { Repute } from "../../src/repute.js";
import { openRepute } from "../../src/open-repute.js";
import { SqliteCheckpointer } from "../../src/store/sqlite/sqlite-checkpointer.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { RecordingSqlite } from "./recording-sqlite.js";

/** The clock of every benchmark: actions are dated before it, so no action is in the future. */
export const NOW = Date.parse("2026-11-20T12:00:00Z");

const dirs: string[] = [];

/** A path for a new SQLite file in a temporary directory (removed by `cleanup`). */
export function freshPath(name = "bench.db"): string {
  const dir = mkdtempSync(join(tmpdir(), "repute-bench-"));
  dirs.push(dir);
  return join(dir, name);
}

export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The pragmas the store sets, for raw baselines: a baseline runs on the same footing. */
export function rawSqlite(path: string): Database.Database {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 10000");
  db.pragma("temp_store = MEMORY");
  db.pragma("cache_size = -65536");
  db.pragma("wal_autocheckpoint = 10000");
  return db;
}

/** A raw writer on the store's footing: its pragmas and the same background checkpointer. */
export function rawWriter(path: string): { db: Database.Database; close(): Promise<void> } {
  const db = rawSqlite(path);
  const checkpointer = new SqliteCheckpointer(path, (pages) => db.pragma(`wal_autocheckpoint = ${pages}`));
  checkpointer.start();
  return {
    db,
    async close() {
      await checkpointer.stop();
      db.close();
    },
  };
}

/** An engine on a new SQLite file. */
export async function engineOn(path: string, config: ReputeConfigInput | "qa" | "interests"): Promise<Repute> {
  return openRepute({ db: path, config, clock: () => NOW });
}

/** An engine whose driver records the writes of every transaction. */
export async function recordingEngine(path: string, config: ReputeConfigInput | "qa" | "interests"): Promise<{ repute: Repute; recorder: RecordingSqlite }> {
  const recorder = new RecordingSqlite(new Database(path));
  const repute = await openRepute({ db: SqliteStore.fromDriver(recorder), config, clock: () => NOW });
  recorder.transactions.length = 0; // setup (rules version, topics) is not part of the workload
  return { repute, recorder };
}

/**
 * `n` qa upvotes among `users` users on 200 000 answers in 50 tags, dated on one
 * day: the ingest workload of the issue.
 */
export function upvotes(n: number, users: number): ActionInput[] {
  const out: ActionInput[] = [];
  for (let k = 0; k < n; k++) {
    const answer = (k * 2654435761) % 200_000;
    out.push({
      id: `vote:${k}`,
      type: "upvote",
      actor: `u${(k * 7919 + 13) % users}`,
      target: { type: "answer", id: `a${answer}`, author: `u${(answer * 104729 + 7) % users}` },
      topic: `tag${answer % 50}`,
      at: "2026-11-20T10:00:00Z",
    });
  }
  return out;
}

/** Submits actions one per transaction (`batch` 1) or in batches. */
export async function submitAll(repute: Repute, actions: readonly ActionInput[], batch: number): Promise<void> {
  if (batch === 1) for (const a of actions) await repute.submit(a);
  else for (let i = 0; i < actions.length; i += batch) await repute.submitBatch(actions.slice(i, i + batch));
}
