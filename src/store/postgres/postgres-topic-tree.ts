import { type Topic, type TopicInput, TopicTree } from "../../core/topic-tree.js";
import { lockOf } from "./lock-keys.js";
import type { PgQueryable } from "./pg-driver.js";
import { RetryTransaction } from "./retry-transaction.js";

/**
 * The topic tree as this process knows it. Topics are only ever added, and every
 * transaction that adds some moves meta `topics_version` on, so the tree is read again
 * exactly when the database's version is not the one it was read at.
 */
export class PostgresTopicTree {
  private tree = new TopicTree();
  private version = "";

  /** The tree as last read (no I/O). */
  get current(): TopicTree {
    return this.tree;
  }

  /** Reads the tree again when the database's version (read here unless the caller has it) is not ours. */
  async refresh(db: PgQueryable, version?: string): Promise<TopicTree> {
    const v = version ?? (await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'topics_version'")).rows[0]?.value ?? "0";
    if (v !== this.version) {
      this.tree = await readTree(db);
      this.version = v;
    }
    return this.tree;
  }

  /**
   * Inside a write transaction: inserts the topics not there yet, parents first, under
   * an advisory lock on each id, and returns them. Call `changed` after the commit.
   */
  async add(c: PgQueryable, inputs: TopicInput[], now: number): Promise<Topic[]> {
    const ids = [...new Set(inputs.map((t) => t.id))].map((id) => lockOf("topic", id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (ids.length > 0) await c.query("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k", [ids.map(String)]);
    const list = (await readTree(c)).planAll(inputs);
    if (list.length > 0) {
      if ((await insertTopics(c, list, now)) < list.length) {
        // A submit created one of them on first use meanwhile (it takes no topic lock):
        // plan again on what it committed, which may now be TOPIC_CONFLICT.
        throw new RetryTransaction("a topic being added was created meanwhile");
      }
      await c.query("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'topics_version'");
    }
    return list;
  }

  /** After a commit that created topics: the next refresh reads the tree again. */
  changed(): void {
    this.version = "";
  }
}

/**
 * Inserts topics not there yet and returns how many it inserted. One created by a
 * concurrent transaction is waited for and skipped, never an error.
 */
export async function insertTopics(c: PgQueryable, list: readonly Topic[], now: number): Promise<number> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO topics (id, parent, depth, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [list.map((t) => t.id), list.map((t) => t.parent), list.map((t) => t.depth), list.map(() => now)],
  );
  return rows.length;
}

/** Every topic, read afresh. */
async function readTree(db: PgQueryable): Promise<TopicTree> {
  return TopicTree.from((await db.query<Topic>("SELECT id, parent, depth FROM topics")).rows);
}
