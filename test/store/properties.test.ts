import fc from "fast-check";
import { expect, it } from "vitest";
import type { ActionInput } from "../../src/core/action.js";
import type { ReputeConfigInput } from "../../src/core/rules/repute-config.js";
import type { Repute } from "../../src/repute.js";
import { type FreshDatabase, describeStores } from "../support/stores.js";

const USERS = ["u0", "u1", "u2", "u3", "u4"];
const POSTS = 6;
const TOPICS = ["a", "b", "c", "d", undefined];
const tree = [{ id: "a" }, { id: "b", parent: "a" }, { id: "c", parent: "b" }, { id: "d", parent: "a" }];
const BASE = Date.parse("2026-11-01T00:00:00Z");
const NOW = Date.parse("2026-11-20T00:00:00Z");

const baseRules = [
  { id: "post", action: "post", author: 5, self: "once" as const },
  { id: "view", action: "view" },
];

/** Everything at once: caps, once-awards, a cascade, a floor, rollups, a global total, daily publication. */
const full: ReputeConfigInput = {
  actionTypes: ["view"],
  rules: [
    ...baseRules.filter((r) => r.id !== "view"),
    { id: "up", action: "upvote", actor: 1, author: 7, self: "ignore", once: "target", cap: "votes" },
    { id: "down", action: "downvote", actor: -1, author: -3, self: "ignore", once: "target" },
    { id: "del", action: "delete", author: -4, self: "once", revertsOnTarget: ["upvote", "downvote"] },
  ],
  caps: { votes: { limit: 20, period: "day" } },
  floor: 0,
  topics: { global: true, rollup: [1, 0.5, 0.25], autoCreate: false, tree },
  publication: { schedule: "daily", at: "06:00" },
};

/** Nothing that makes one action depend on another: no caps, once-awards, cascades or floor. */
const plain: ReputeConfigInput = {
  actionTypes: ["view", "delete"],
  rules: [
    ...baseRules.filter((r) => r.id !== "view"),
    { id: "up", action: "upvote", actor: 1, author: 7, self: "ignore" },
    { id: "down", action: "downvote", actor: -1, author: -3, self: "ignore" },
  ],
  topics: { global: true, rollup: [1, 0.5, 0.25], autoCreate: false, tree },
};

type Step =
  | { kind: "post" | "upvote" | "downvote" | "delete" | "view"; user: number; post: number; topic: number; minutes: number }
  | { kind: "adjust"; user: number; points: number; topic: number; minutes: number }
  | { kind: "revert"; which: number; minutes: number };

const minutes = fc.integer({ min: 0, max: 4 * 24 * 60 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom("post", "upvote", "upvote", "downvote", "delete", "view"), user: fc.nat(USERS.length - 1), post: fc.nat(POSTS - 1), topic: fc.nat(TOPICS.length - 1), minutes }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("adjust" as const), user: fc.nat(USERS.length - 1), points: fc.integer({ min: -30, max: 30 }).filter((n) => n !== 0), topic: fc.nat(TOPICS.length - 1), minutes }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("revert" as const), which: fc.nat(), minutes }) },
) as fc.Arbitrary<Step>;

/** Turns steps into actions; a revert names an earlier non-revert action, and is dated no earlier than it. */
function actionsOf(steps: readonly Step[], allowReverts = true): ActionInput[] {
  const out: ActionInput[] = [];
  const revertible: string[] = [];
  const minutesOf = new Map<string, number>();
  const atOf = (m: number) => new Date(BASE + m * 60_000).toISOString();
  steps.forEach((s, i) => {
    const id = `x${i}`;
    const at = atOf(s.minutes);
    if (s.kind === "revert") {
      if (!allowReverts || revertible.length === 0) return;
      const reverts = revertible[s.which % revertible.length] as string;
      out.push({ id, type: "revert", actor: "mod", reverts, at: atOf(Math.max(s.minutes, minutesOf.get(reverts) as number)) });
      return;
    }
    minutesOf.set(id, s.minutes);
    const topic = TOPICS[s.topic];
    const extra = topic === undefined ? {} : { topic };
    if (s.kind === "adjust") {
      out.push({ id, type: "adjust", actor: "admin", target: { type: "user", id: USERS[s.user] as string }, data: { points: s.points, reason: "p" }, at, ...extra });
    } else {
      const author = USERS[s.post % USERS.length] as string;
      out.push({ id, type: s.kind, actor: s.kind === "post" ? author : (USERS[s.user] as string), target: { type: "answer", id: `p${s.post}`, author }, at, ...extra });
    }
    revertible.push(id);
  });
  return out;
}

/** Submits in chunks (one action, or several in one batch). */
async function apply(r: Repute, actions: readonly ActionInput[], chunks: readonly number[]): Promise<void> {
  let i = 0;
  let c = 0;
  while (i < actions.length) {
    const size = Math.max(1, chunks[c++ % Math.max(1, chunks.length)] ?? 1);
    await r.submitBatch(actions.slice(i, i + size));
    i += size;
  }
}

async function totals(db: FreshDatabase): Promise<Record<string, number>> {
  const rows = await db.query("SELECT user_id, topic, points + pending AS total FROM snapshots");
  const out: Record<string, number> = {};
  for (const r of rows) if (Number(r.total) !== 0) out[`${r.user_id}/${r.topic}`] = Number(r.total);
  return out;
}

const sequence = fc.array(step, { minLength: 1, maxLength: 40 });
const chunking = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 });

describeStores("properties", (kind) => {
  const runs = Number(process.env.REPUTE_PROPERTY_RUNS ?? (kind.name === "sqlite" ? 60 : 15));
  // Each run opens a fresh database (a new schema on PostgreSQL): give every run time.
  const timeout = Math.max(60_000, runs * 2_000);
  const within = async (fn: (db: FreshDatabase) => Promise<void>) => {
    const db = await kind.fresh();
    try {
      await fn(db);
    } finally {
      await db.dispose();
    }
  };

  it("(a, e) incremental snapshots equal rebuilt ones, and verify finds nothing", async () => {
    await fc.assert(
      fc.asyncProperty(sequence, chunking, fc.constantFrom(full, plain), async (steps, chunks, config) =>
        within(async (db) => {
          const r = await db.open({ config, clock: () => NOW });
          await apply(r, actionsOf(steps), chunks);
          const report = await r.verify();
          expect(report.violations).toEqual([]);
          const before = await db.query("SELECT * FROM snapshots ORDER BY user_id, topic");
          expect((await r.rebuild()).changed).toBe(0);
          expect(await db.query("SELECT * FROM snapshots ORDER BY user_id, topic")).toEqual(before);
        }),
      ),
      {
        numRuns: runs,
        examples: [
          // Found by this property: verify held an adjustment's global copy to the floor.
          [[{ kind: "adjust", user: 0, points: -1, topic: 0, minutes: 0 }, { kind: "post", user: 0, post: 0, topic: 0, minutes: 0 }], [1], full],
          // Found by this property: after publication, a snapshot's period differed from the rebuilt one.
          [[{ kind: "post", user: 0, post: 0, topic: 0, minutes: 360 }, { kind: "revert", which: 0, minutes: 360 }], [1], full],
        ],
      },
    );
  }, timeout);

  it("(b) resubmitting any subset, in any order, changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(sequence, chunking, fc.array(fc.nat(), { maxLength: 20 }), async (steps, chunks, picks) =>
        within(async (db) => {
          const r = await db.open({ config: full, clock: () => NOW });
          const actions = actionsOf(steps);
          fc.pre(actions.length > 0);
          await apply(r, actions, chunks);
          const dump = async () => ({
            snapshots: await db.query("SELECT * FROM snapshots ORDER BY user_id, topic"),
            entries: await db.query("SELECT COUNT(*) AS n FROM entries"),
            counters: await db.query("SELECT * FROM counters ORDER BY cap, user_id, day"),
            awards: await db.query("SELECT * FROM awards ORDER BY key"),
          });
          const before = await dump();
          const subset = picks.map((p) => actions[p % actions.length] as ActionInput);
          const results = subset.length === 0 ? [] : await r.submitBatch(subset);
          expect(results.every((x) => x.replay)).toBe(true);
          expect(await dump()).toEqual(before);
        }),
      ),
      { numRuns: runs },
    );
  }, timeout);

  it("(c) reverting an action leaves every total as if it had never been applied", async () => {
    await fc.assert(
      fc.asyncProperty(sequence, fc.nat(), async (steps, pick) => {
        const actions = actionsOf(steps, false);
        fc.pre(actions.length > 0);
        const victim = actions[pick % actions.length] as ActionInput;
        let reverted: Record<string, number> = {};
        let never: Record<string, number> = {};
        await within(async (db) => {
          const r = await db.open({ config: plain, clock: () => NOW });
          await r.submitBatch(actions);
          await r.submit({ id: "undo", type: "revert", actor: "mod", reverts: victim.id });
          reverted = await totals(db);
        });
        await within(async (db) => {
          const r = await db.open({ config: plain, clock: () => NOW });
          await r.submitBatch(actions.filter((a) => a !== victim));
          never = await totals(db);
        });
        expect(reverted).toEqual(never);
      }),
      { numRuns: runs },
    );
  }, timeout);

  it("(d) no user earns more than a cap allows in a day", async () => {
    await fc.assert(
      fc.asyncProperty(sequence, chunking, async (steps, chunks) =>
        within(async (db) => {
          const r = await db.open({ config: full, clock: () => NOW });
          await apply(r, actionsOf(steps), chunks);
          const rows = await db.query(
            `SELECT user_id, at / 86400000 AS day, SUM(delta) AS earned FROM entries
             WHERE kind = 'rule' AND rule = 'up' AND delta > 0 GROUP BY user_id, at / 86400000`,
          );
          for (const row of rows) expect(Number(row.earned)).toBeLessThanOrEqual(20);
        }),
      ),
      { numRuns: runs },
    );
  }, timeout);
});
