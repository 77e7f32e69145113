import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LedgerHarness } from "../../testing/ledger-harness.js";
import { qaPreset } from "./qa.js";

// The qa preset's votes, deletions, retractions and undeletes against a model written from
// docs/concepts.md alone ("standing votes"), not from the engine: after every action each
// user's total and peak must be the model's.

const POSTS = [
  { id: "1", author: "A" },
  { id: "2", author: "B" },
];
const USERS = ["A", "B", "v1"];

type Op =
  | { k: "upvote" | "downvote"; voter: string; post: number }
  | { k: "delete"; post: number }
  | { k: "retract"; pick: number }
  | { k: "undelete"; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constantFrom("upvote" as const, "downvote" as const), voter: fc.constantFrom(...USERS), post: fc.nat(POSTS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("delete" as const), post: fc.nat(POSTS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("retract" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("undelete" as const), pick: fc.nat() }) },
);

/** A vote stands, was retracted, is taken back by a deletion (its index), or was kept taken back by an undelete. */
type Status = { s: "standing" } | { s: "retracted" } | { s: "taken"; by: number } | { s: "kept" };
interface Vote {
  id: string;
  up: boolean;
  voter: string;
  post: number;
  /** It earned when cast: the voter is not the author and had no earning vote standing on the post. */
  earned: boolean;
  status: Status;
}

class Model {
  readonly votes: Vote[] = [];
  readonly deletions: Array<{ id: string; post: number; undone: boolean }> = [];
  readonly peaks = new Map<string, number>();
  /** How many of POSTS are posted so far (in order). */
  posted = 0;

  private earning(v: Vote): boolean {
    return v.earned && v.status.s === "standing";
  }

  /** The action for an op, with the model moved on; null when there is nothing to revert. */
  apply(o: Op, id: string): object | null {
    if ("voter" in o) {
      const { author } = POSTS[o.post] as { author: string };
      const earned = o.voter !== author && !this.votes.some((v) => v.voter === o.voter && v.post === o.post && this.earning(v));
      this.votes.push({ id, up: o.k === "upvote", voter: o.voter, post: o.post, earned, status: { s: "standing" } });
      return { id, type: o.k, actor: o.voter, target: this.target(o.post) };
    }
    if (o.k === "delete") {
      const by = this.deletions.push({ id, post: o.post, undone: false }) - 1;
      for (const v of this.votes) if (v.post === o.post && v.status.s === "standing") v.status = { s: "taken", by };
      return { id, type: "delete", actor: "mod", target: this.target(o.post) };
    }
    if (o.k === "retract") {
      const v = this.votes[o.pick % Math.max(1, this.votes.length)];
      if (v === undefined) return null;
      // Retracting a vote a deletion took back keeps it out of the undelete.
      if (v.status.s === "standing" || v.status.s === "taken") v.status = { s: "retracted" };
      return { id, type: "revert", actor: v.voter, reverts: v.id };
    }
    const by = o.pick % Math.max(1, this.deletions.length);
    const d = this.deletions[by];
    if (d === undefined) return null;
    if (!d.undone) {
      d.undone = true;
      // Each vote it took back stands again, unless another of the voter's votes on the post earns now.
      for (const v of this.votes) {
        if (v.status.s !== "taken" || v.status.by !== by) continue;
        const other = this.votes.some((w) => w !== v && w.voter === v.voter && w.post === v.post && this.earning(w));
        v.status = v.earned && other ? { s: "kept" } : { s: "standing" };
      }
    }
    return { id, type: "revert", actor: "mod", reverts: d.id };
  }

  private target(post: number) {
    const p = POSTS[post] as { id: string; author: string };
    return { type: "answer", id: p.id, author: p.author };
  }

  /** Answers +10 to their authors, each deletion in force −10, each earning vote its points. */
  total(user: string): number {
    let t = POSTS.slice(0, this.posted).filter((p) => p.author === user).length * 10;
    for (const d of this.deletions) if (!d.undone && POSTS[d.post]?.author === user) t -= 10;
    for (const v of this.votes) {
      if (!this.earning(v)) continue;
      if (v.voter === user) t += v.up ? 2 : -1;
      if (POSTS[v.post]?.author === user) t += v.up ? 10 : -2;
    }
    return t;
  }

  /** Notes every user's total after an action: a peak is the highest, and never below 0. */
  notePeaks(): void {
    for (const u of USERS) this.peaks.set(u, Math.max(this.peaks.get(u) ?? 0, this.total(u)));
  }
}

describe("qa preset: standing votes", () => {
  it("every total and peak is the model's after each vote, deletion, retraction and undelete", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const h = new LedgerHarness(qaPreset);
        const model = new Model();
        const step = (action: object) => {
          h.now += 86_400_000; // one action a day: the daily vote cap never applies
          h.submit(action as never);
          model.notePeaks();
          for (const u of USERS) {
            expect([u, h.total(u)]).toEqual([u, model.total(u)]);
            expect([u, h.state.snapshot(u, "global")?.peak ?? 0]).toEqual([u, model.peaks.get(u)]);
          }
        };
        POSTS.forEach((p, i) => {
          model.posted++;
          step({ id: `post${i}`, type: "post", actor: p.author, target: { type: "answer", id: p.id, author: p.author } });
        });
        ops.forEach((o, i) => {
          const action = model.apply(o, `${o.k}${i}`);
          if (action !== null) step(action);
        });
      }),
      { numRuns: 2000 },
    );
  });
});
