import { type Topic, type TopicInput, TopicTree } from "../../core/topic-tree.js";
import type { SqliteStatements } from "./sqlite-statements.js";

/**
 * The topic tree as this connection knows it. Topics are only ever added, and every
 * transaction that adds some moves meta `topics_version` on, so the tree is read again
 * exactly when the database's version is not the one it was read at.
 */
export class SqliteTopicTree {
  private tree = new TopicTree();
  private version = "";

  constructor(private readonly st: SqliteStatements) {}

  /** The tree as last read or written (no I/O). */
  get current(): TopicTree {
    return this.tree;
  }

  /** Reads the tree again when another connection (or a rolled-back transaction) changed the version. */
  refresh(): TopicTree {
    const v = this.st.metaGet.get("topics_version") as string;
    if (v !== this.version) {
      this.tree = TopicTree.from(this.st.allTopics.all() as Topic[]);
      this.version = v;
    }
    return this.tree;
  }

  /** Inside a write transaction: inserts the topics not there yet, parents first, and returns them. */
  add(inputs: TopicInput[], now: number): Topic[] {
    const planned = this.refresh().planAll(inputs);
    for (const t of planned) this.st.insertTopic.run(t.id, t.parent, t.depth, now);
    if (planned.length > 0) this.bump();
    return planned;
  }

  /**
   * Inside a write transaction that inserted topics: moves the database's version on.
   * The tree's own version is unknown until it is read again: the commit may still
   * fail, and another connection could then move the version to the same number with
   * other topics.
   */
  bump(): void {
    const next = String(Number(this.st.metaGet.get("topics_version")) + 1);
    this.st.metaSet.run("topics_version", next);
    this.version = "";
  }

  /** After the commit: adds the topics the transaction created. */
  adopt(created: readonly Topic[]): void {
    for (const t of created) this.tree.insert(t);
  }
}
