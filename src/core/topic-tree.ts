import { z } from "zod";
import { ReputeError } from "./errors.js";
import { GLOBAL_TOPIC, topicIdSchema } from "./ids.js";

/** A topic as configured or added: `parent` defaults to `global`. */
export const topicInputSchema = z.strictObject({
  id: topicIdSchema,
  parent: topicIdSchema.optional(),
});

/** A topic as configured or added. */
export type TopicInput = z.input<typeof topicInputSchema>;

/** A topic in the tree. `global` is the root at depth 0. */
export interface Topic {
  id: string;
  parent: string | null;
  depth: number;
}

const ROOT: Topic = { id: GLOBAL_TOPIC, parent: null, depth: 0 };

/**
 * The topic tree. Read-only views come from `get` and `ancestors`; `plan` checks
 * an addition without making it, so a failed batch never half-adds a topic.
 */
export class TopicTree {
  private readonly nodes = new Map<string, Topic>([[GLOBAL_TOPIC, ROOT]]);

  /** Builds a tree from stored topics (parents before children not required). */
  static from(topics: Iterable<Topic>): TopicTree {
    const tree = new TopicTree();
    for (const t of topics) if (t.id !== GLOBAL_TOPIC) tree.nodes.set(t.id, t);
    return tree;
  }

  get(id: string): Topic | undefined {
    return this.nodes.get(id);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Every topic but the implicit `global` root, parents before children. */
  list(): Topic[] {
    return [...this.nodes.values()].filter((t) => t.id !== GLOBAL_TOPIC).sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The topic that adding `input` would create, or null when it exists already
   * with the same parent. Throws TOPIC_NOT_FOUND for an unknown parent and
   * TOPIC_CONFLICT for an existing topic under another parent.
   */
  plan(input: { id: string; parent?: string | undefined }, lookup: (id: string) => Topic | undefined = (id) => this.get(id)): Topic | null {
    const parentId = input.parent ?? GLOBAL_TOPIC;
    const existing = lookup(input.id);
    if (existing !== undefined) {
      if (input.id === GLOBAL_TOPIC && input.parent === undefined) return null;
      if (existing.parent !== parentId) {
        throw new ReputeError("TOPIC_CONFLICT", `topic "${input.id}" exists under "${existing.parent ?? "(root)"}", not "${parentId}"`, {
          topic: input.id,
          parent: existing.parent,
        });
      }
      return null;
    }
    const parent = lookup(parentId);
    if (parent === undefined) throw new ReputeError("TOPIC_NOT_FOUND", `parent topic "${parentId}" does not exist`, { topic: parentId });
    return { id: input.id, parent: parentId, depth: parent.depth + 1 };
  }

  /**
   * The topics that adding `inputs` in order would create, parents first, without adding
   * them: an input may name an earlier one as its parent, and one named twice comes once.
   * Throws as `plan` does, with the failing input's position in `details.index`.
   */
  planAll(inputs: Iterable<{ id: string; parent?: string | undefined }>): Topic[] {
    const planned = new Map<string, Topic>();
    let index = 0;
    for (const input of inputs) {
      let t: Topic | null;
      try {
        t = this.plan(input, (id) => planned.get(id) ?? this.get(id));
      } catch (e) {
        if (!(e instanceof ReputeError)) throw e;
        throw new ReputeError(e.code, e.message, { ...e.details, index });
      }
      if (t !== null) planned.set(t.id, t);
      index++;
    }
    return [...planned.values()];
  }

  /** Adds a planned topic. */
  insert(topic: Topic): void {
    this.nodes.set(topic.id, topic);
  }
}

/**
 * The ancestors of a topic, nearest first, excluding `global`.
 * `lookup` resolves ids (a batch may see topics not yet in the tree).
 */
export function ancestorsOf(id: string, lookup: (id: string) => Topic | undefined): string[] {
  const out: string[] = [];
  let node = lookup(id);
  while (node?.parent != null && node.parent !== GLOBAL_TOPIC) {
    out.push(node.parent);
    node = lookup(node.parent);
  }
  return out;
}
