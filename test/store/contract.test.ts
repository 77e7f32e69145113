import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { API_KEY_CACHE_MS } from "../../src/api-keys.js";
import { isReputeError } from "../../src/core/errors.js";
import { interestsPreset } from "../../src/core/rules/presets/interests.js";
import { qaPreset } from "../../src/core/rules/presets/qa.js";
import { type FreshDatabase, describeStores } from "../support/stores.js";

const answer = (id: string, author: string) => ({ type: "answer", id, author });
const upvote = (id: string, voter: string, post: string, author: string, extra: object = {}) => ({
  id,
  type: "upvote",
  actor: voter,
  target: answer(post, author),
  ...extra,
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (isReputeError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describeStores("store contract", (kind) => {
  let db: FreshDatabase;
  let now: number;
  const clock = () => now;
  const open = (config: object | string = "qa") => db.open({ config: config as never, clock });

  beforeEach(async () => {
    db = await kind.fresh();
    now = Date.parse("2026-11-20T10:00:00Z");
  });
  afterEach(async () => {
    await db.dispose();
  });

  describe("submitting", () => {
    it("applies an action and reads it back everywhere", async () => {
      const r = await open();
      const result = await r.submit(upvote("v1", "42", "9", "7", { topic: "typescript" }));
      expect(result.replay).toBe(false);
      expect(result.entries.map((e) => [e.user, e.topic, e.delta])).toEqual([
        ["42", "typescript", 2],
        ["42", "global", 2],
        ["7", "typescript", 10],
        ["7", "global", 10],
      ]);
      expect(result.changes).toContainEqual({ user: "7", topic: "global", before: { points: 0, pending: 0 }, after: { points: 10, pending: 0 } });
      const rep = await r.reputation("7");
      expect(rep.topics.map((t) => [t.topic, t.points, t.level])).toEqual([
        ["global", 10, "New"],
        ["typescript", 10, "New"],
      ]);
      expect((await r.history("7")).entries.map((e) => [e.delta, e.reason])).toEqual([
        [10, "upvote (answer 9) by 42 in typescript"],
        [10, "upvote (answer 9) by 42 in typescript"],
      ]);
      expect((await r.leaderboard("global")).entries.map((e) => [e.rank, e.user, e.points])).toEqual([
        [1, "7", 10],
        [2, "42", 2],
      ]);
      expect(await r.rank("42")).toEqual({ user: "42", topic: "global", rank: 2, of: 2, points: 2, level: "New" });
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });

    it("keeps every action in the log, with or without points", async () => {
      const r = await open();
      await r.submitBatch([
        { id: "s", type: "search", actor: "1", data: { q: "hops" } },
        { id: "w", type: "view", actor: "1", target: { type: "question", id: "3", author: "2" } },
      ]);
      expect((await r.action("s"))?.action).toMatchObject({ type: "search", data: { q: "hops" } });
      expect((await r.action("w"))?.result.entries).toEqual([]);
      expect(await r.action("nope")).toBeNull();
    });

    it("replays a known id with the original result after a restart, and writes nothing", async () => {
      const r1 = await open();
      const first = await r1.submit(upvote("v1", "42", "9", "7"));
      await r1.close();
      now += 3_600_000;
      const r2 = await open();
      const again = await r2.submit(upvote("v1", "42", "9", "7"));
      expect(again).toEqual({ ...first, replay: true });
      expect((await r2.reputation("7")).topics[0]?.points).toBe(10);
      expect(await codeOf(r2.submit(upvote("v1", "43", "9", "7")))).toBe("ACTION_ID_CONFLICT");
      const rows = await db.query("SELECT COUNT(*) AS n FROM actions");
      expect(Number(rows[0]?.n)).toBe(1);
    });

    it("keeps why points were withheld, for the action's reads and for replays after a restart", async () => {
      const r1 = await open();
      await r1.submit(upvote("v1", "42", "9", "7"));
      const second = await r1.submit(upvote("v2", "42", "9", "7"));
      expect(second.withheld.map((w) => [w.user, w.points, w.why, w.holder, w.reason])).toEqual([
        ["42", 2, "once", "v1", "upvote (answer 9): already given by v1 (once per actor and target)"],
        ["7", 10, "once", "v1", "upvote (answer 9) by 42: already given by v1 (once per actor and target)"],
      ]);
      expect((await r1.submit(upvote("v1", "42", "9", "7"))).withheld).toEqual([]);
      await r1.close();
      const r2 = await open();
      expect((await r2.action("v2"))?.result).toEqual(second);
      expect(await r2.submit(upvote("v2", "42", "9", "7"))).toEqual({ ...second, replay: true });
    });

    it("a retry after the configuration dropped the action's type still answers the original result", async () => {
      const r1 = await open();
      const first = await r1.submit(upvote("v1", "42", "9", "7"));
      await r1.close();
      const noVotes = {
        ...qaPreset,
        actionTypes: qaPreset.actionTypes.filter((t) => t !== "upvote"),
        rules: qaPreset.rules.filter((r) => r.action !== "upvote").map((r) => ("revertsOnTarget" in r ? { ...r, revertsOnTarget: ["downvote"] } : r)),
      };
      const r2 = await open(noVotes);
      const again = await r2.submit(upvote("v1", "42", "9", "7"));
      expect(again.replay).toBe(true);
      // The original result, reasons included: they are told by the rules version that applied them.
      expect(again).toEqual({ ...first, replay: true });
      expect(again.entries[0]?.reason).toBe("upvote (answer 9)");
      expect(await codeOf(r2.submit(upvote("v1", "43", "9", "7")))).toBe("ACTION_ID_CONFLICT");
      expect(await codeOf(r2.submit(upvote("v2", "42", "9", "7")))).toBe("UNKNOWN_ACTION_TYPE");
      expect(await codeOf(r2.submitBatch([{ id: "p", type: "post", actor: "7", target: { type: "comment", id: "1" } }]))).toBe("UNKNOWN_TARGET_TYPE");
      expect(await r2.action("v2")).toBeNull();
      expect((await r2.reputation("7")).topics[0]).toMatchObject({ points: 10 });
    });

    it("a batch is all or nothing", async () => {
      const r = await open();
      const code = await codeOf(
        r.submitBatch([upvote("v1", "42", "9", "7", { topic: "newtag" }), upvote("v2", "43", "9", "7"), { id: "r", type: "revert", actor: "x", reverts: "missing" }]),
      );
      expect(code).toBe("ACTION_NOT_FOUND");
      expect(Number((await db.query("SELECT COUNT(*) AS n FROM actions"))[0]?.n)).toBe(0);
      expect(Number((await db.query("SELECT COUNT(*) AS n FROM entries"))[0]?.n)).toBe(0);
      expect(await r.topics()).toEqual([]);
      expect((await r.reputation("7")).topics[0]?.points).toBe(0);
      // Invalid input fails the same way, before anything is written.
      expect(await codeOf(r.submitBatch([upvote("v1", "42", "9", "7"), { id: "bad", type: "upvote", actor: 5 } as never]))).toBe("VALIDATION_FAILED");
      expect(Number((await db.query("SELECT COUNT(*) AS n FROM actions"))[0]?.n)).toBe(0);
    });

    it("a failed batch leaves nothing behind for the next one, in the database or in memory", async () => {
      const r = await open();
      const failed = [upvote("v1", "42", "9", "7"), { id: "r", type: "revert", actor: "x", reverts: "missing" }];
      expect(await codeOf(r.submitBatch(failed))).toBe("ACTION_NOT_FOUND");
      // The next action on the same author counts from what was committed: nothing.
      await r.submit(upvote("v2", "43", "9", "7"));
      expect((await r.reputation("7")).topics[0]).toMatchObject({ topic: "global", points: 10 });
      // The corrected batch is applied in full: v1's once-award was never taken.
      const [again] = await r.submitBatch([upvote("v1", "42", "9", "7")]);
      expect(again?.withheld).toEqual([]);
      expect(again?.entries.map((e) => [e.user, e.delta])).toEqual([
        ["42", 2],
        ["7", 10],
      ]);
      expect((await r.reputation("7")).topics[0]).toMatchObject({ points: 20 });
      expect((await r.rank("7")).rank).toBe(1);
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });

    it("group commit: a unit that fails leaves the other units of the transaction applied", async () => {
      const r = await open();
      const outcomes = await r.submitUnits([
        [upvote("a", "1", "9", "7")],
        [upvote("b", "2", "9", "7"), { id: "r", type: "revert", actor: "x", reverts: "missing" }],
        [{ id: "c", type: "upvote", actor: 3 }],
        [upvote("d", "4", "9", "7")],
        [upvote("a", "9", "9", "7")],
      ]);
      expect(outcomes.map((o) => (o.ok ? "ok" : o.error.code))).toEqual(["ok", "ACTION_NOT_FOUND", "VALIDATION_FAILED", "ok", "ACTION_ID_CONFLICT"]);
      expect((await r.reputation("7")).topics[0]?.points).toBe(20);
      expect(await r.action("b")).toBeNull();
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });

    it("refuses input of the wrong kind with VALIDATION_FAILED, one unit of a group alone, and writes nothing of it", async () => {
      const r = await open();
      const deep = JSON.parse(`{"x":${"[".repeat(100_000)}1${"]".repeat(100_000)}}`) as object;
      const outcomes = await r.submitUnits([[upvote("a", "1", "9", "7")], [{ ...upvote("b", "2", "9", "7"), data: deep }], [upvote("c", "3", "9", "7")]]);
      expect(outcomes.map((o) => (o.ok ? "ok" : o.error.code))).toEqual(["ok", "VALIDATION_FAILED", "ok"]);
      for (const wrong of [null, { actions: [] }, "v1"]) expect(await codeOf(r.submitBatch(wrong as never))).toBe("VALIDATION_FAILED");
      // A hole in a batch is a missing action, not one to skip.
      // eslint-disable-next-line no-sparse-arrays -- the hole is the point
      expect(await codeOf(r.submitBatch([upvote("d", "4", "9", "7"), , upvote("e", "5", "9", "7")] as never))).toBe("VALIDATION_FAILED");
      expect(await r.action("d")).toBeNull();
      expect((await r.reputation("7")).topics[0]?.points).toBe(20);
      expect(await codeOf(r.reputation("7", null as never))).toBe("VALIDATION_FAILED");
      expect(await codeOf(r.reputation("7", { topik: "ts" } as never))).toBe("VALIDATION_FAILED");
      expect(await codeOf(r.action("a\u0000"))).toBe("VALIDATION_FAILED");
      expect(await codeOf(r.history("7", { topic: "nowhere" }))).toBe("TOPIC_NOT_FOUND");
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });

    it("names an adjustment's own fields when they are wrong, and keeps control characters out of its reason", async () => {
      const r = await open();
      const issues = async (input: object) => {
        try {
          await r.adjust({ user: "7", points: 5, reason: "why", by: "admin", ...input });
        } catch (e) {
          if (isReputeError(e)) return (e.details?.issues as Array<{ path: string; message: string }>).map((i) => `${i.path}: ${i.message}`);
          throw e;
        }
        return [];
      };
      expect(await issues({ points: 0 })).toEqual(["points: must not be 0"]);
      expect(await issues({ points: 2_000_000_000 })).toEqual(["points: at most 1000000000"]);
      expect(await issues({ points: Number.NaN })).toEqual(["points: must be a whole number"]);
      expect(await issues({ reason: "" })).toEqual(["reason: must not be empty"]);
      expect(await issues({ reason: "bold \u001b[1m move" })).toEqual(["reason: must not contain control characters"]);
      expect(await issues({ id: "" })).toEqual(["id: must not be empty"]);
      expect((await r.history("7")).entries).toEqual([]);
    });

    it("counts caps across transactions and restarts", async () => {
      const r1 = await open();
      for (let i = 0; i < 15; i++) await r1.submit(upvote(`v${i}`, `w${i}`, `${i}`, "7"));
      await r1.close();
      const r2 = await open();
      await r2.submitBatch(Array.from({ length: 10 }, (_, i) => upvote(`x${i}`, `y${i}`, `p${i}`, "7")));
      expect((await r2.reputation("7")).topics[0]?.points).toBe(200);
      expect(await r2.verify()).toEqual({ ok: true, violations: [] });
    });

    it("two connections interleaving writes on the same users lose no update and share the cap", async () => {
      const a = await open();
      const b = await open();
      for (let i = 0; i < 12; i++) {
        await (i % 2 === 0 ? a : b).submit(upvote(`v${i}`, `w${i}`, `p${i}`, "7"));
        await (i % 3 === 0 ? b : a).submit({ id: `d${i}`, type: "downvote", actor: `x${i}`, target: answer(`q${i}`, "8") });
      }
      // 12 upvotes to 7 in all, and a cap of 200 counted across both connections.
      await a.submitBatch(Array.from({ length: 15 }, (_, i) => upvote(`more${i}`, `m${i}`, `r${i}`, "7")));
      for (const r of [a, b]) {
        expect((await r.reputation("7")).topics[0]?.points).toBe(200);
        expect((await r.reputation("8")).topics[0]?.points).toBe(-24);
      }
      expect(await b.verify()).toEqual({ ok: true, violations: [] });
    });

    it("applies a large batch in one transaction", async () => {
      const r = await open();
      const results = await r.submitBatch(Array.from({ length: 3000 }, (_, i) => upvote(`v${i}`, `voter${i % 301}`, `a${i % 500}`, `author${i % 50}`)));
      expect(results).toHaveLength(3000);
      expect(results.filter((x) => x.entries.length > 0).length).toBe(3000);
      expect((await r.rebuild()).changed).toBe(0);
      expect((await r.verify()).ok).toBe(true);
    });

    it("reverts across transactions, including a deletion's cascade and its undo", async () => {
      const r = await open();
      await r.submit({ id: "p", type: "post", actor: "7", target: answer("9", "7") });
      await r.submit(upvote("v1", "42", "9", "7"));
      await r.submit({ id: "d1", type: "downvote", actor: "43", target: answer("9", "7") });
      await r.submit({ id: "del", type: "delete", actor: "7", target: answer("9", "7") });
      const points = async (u: string) => (await r.reputation(u)).topics[0]?.points;
      expect([await points("7"), await points("42"), await points("43")]).toEqual([0, 0, 0]);
      expect((await r.action("v1"))?.revertedBy).toBe("del");
      await r.submit({ id: "undel", type: "revert", actor: "mod", reverts: "del" });
      expect([await points("7"), await points("42"), await points("43")]).toEqual([18, 2, -1]);
      await r.submit({ id: "unvote", type: "revert", actor: "42", reverts: "v1" });
      expect([await points("7"), await points("42")]).toEqual([8, 0]);
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });

    it("keeps a vote retracted while its post was deleted retracted when the post is undeleted, with true peaks", async () => {
      const r = await open();
      const rep = async (u: string) => {
        const t = (await r.reputation(u)).topics[0];
        return [t?.points ?? 0, t?.peak ?? 0];
      };
      await r.submit({ id: "p", type: "post", actor: "7", target: answer("9", "7") });
      await r.submit(upvote("v1", "42", "9", "7"));
      await r.submit({ id: "d1", type: "downvote", actor: "43", target: answer("9", "7") });
      await r.submit({ id: "del", type: "delete", actor: "7", target: answer("9", "7") });
      await r.adjust({ id: "bonus", user: "7", points: 30, reason: "bonus", by: "admin" });
      expect(await rep("7")).toEqual([30, 30]);
      // Through a second connection, which has none of it loaded.
      await (await open()).submit({ id: "unvote", type: "revert", actor: "42", reverts: "v1" });
      expect([await rep("7"), await rep("42")]).toEqual([
        [30, 30],
        [0, 2],
      ]);
      expect((await r.action("v1"))?.revertedBy).toBe("unvote");
      await r.submit({ id: "undel", type: "revert", actor: "mod", reverts: "del" });
      // The deletion's −10 is undone and the downvote's −2 is back; the retracted upvote is not.
      expect([await rep("7"), await rep("42"), await rep("43")]).toEqual([
        [38, 38],
        [0, 2],
        [-1, 0],
      ]);
      expect((await r.action("v1"))?.revertedBy).toBe("unvote");
      await r.submit(upvote("v2", "42", "9", "7"));
      expect(await rep("7")).toEqual([48, 48]);
      expect((await r.rebuild()).changed).toBe(0);
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });
  });

  describe("topics", () => {
    it("adds topics at run time, keeps them, and refuses conflicts", async () => {
      const r = await open("interests");
      expect(await r.addTopics([{ id: "beer" }, { id: "ale", parent: "beer" }])).toHaveLength(2);
      expect(await r.addTopics({ id: "ale", parent: "beer" })).toEqual([]);
      expect(await codeOf(r.addTopics({ id: "lager", parent: "wine" }))).toBe("TOPIC_NOT_FOUND");
      await r.addTopics({ id: "wine" });
      expect(await codeOf(r.addTopics({ id: "ale", parent: "wine" }))).toBe("TOPIC_CONFLICT");
      // All or nothing: a failing topic in a list adds none of them.
      expect(await codeOf(r.addTopics([{ id: "red", parent: "wine" }, { id: "x", parent: "nowhere" }]))).toBe("TOPIC_NOT_FOUND");
      await r.close();
      const again = await open("interests");
      expect((await again.topics()).map((t) => [t.id, t.parent, t.depth])).toEqual([
        ["beer", "global", 1],
        ["wine", "global", 1],
        ["ale", "beer", 2],
      ]);
    });

    it("creates topics from the configuration's tree", async () => {
      const r = await open({ ...interestsPreset, topics: { ...interestsPreset.topics, tree: [{ id: "a" }, { id: "b", parent: "a" }] } });
      expect((await r.topics()).map((t) => t.id)).toEqual(["a", "b"]);
    });

    it("keeps in global, where no global total is kept, exactly what names no topic, and reads it like any topic", async () => {
      const r = await open("interests");
      await r.addTopics([{ id: "beer" }, { id: "ale", parent: "beer" }]);
      await r.submit({ id: "s", type: "select_interest", actor: "u", topic: "ale" });
      // Nothing rolls into global: the board is empty, not missing.
      expect((await r.leaderboard()).entries).toEqual([]);
      expect(await r.rank("u")).toMatchObject({ topic: "global", rank: null, of: 0 });
      // An award that names no topic goes to global, and global answers for it.
      await r.adjust({ id: "welcome", user: "w", points: 10, reason: "welcome", by: "admin" });
      expect((await r.leaderboard()).entries.map((e) => [e.rank, e.user, e.points])).toEqual([[1, "w", 10]]);
      expect(await r.rank("w")).toMatchObject({ topic: "global", rank: 1, of: 1, points: 10 });
      expect((await r.reputation("w", { topic: "global" })).topics.map((t) => t.points)).toEqual([10]);
      expect((await r.reputation("u")).topics.map((t) => [t.topic, t.points])).toEqual([
        ["ale", 5],
        ["beer", 2],
      ]);
    });

    it("refuses a configuration whose tree the stored topics cannot take, naming the entry, and records nothing of it", async () => {
      const first = await open({ rules: [{ id: "up", action: "upvote", author: 10 }], topics: { tree: [{ id: "a" }] } });
      expect(first.rulesVersion).toBe(1);
      await first.close();
      const refused = async (tree: object[]) => {
        try {
          await open({ rules: [{ id: "up", action: "upvote", author: 99 }], topics: { tree } });
        } catch (e) {
          if (isReputeError(e)) return [e.code, (e.details?.issues as Array<{ path: string }>).map((i) => i.path)];
          throw e;
        }
        return "opened";
      };
      // A parent named after its child, a stored topic moved, the root given a parent.
      expect(await refused([{ id: "c", parent: "b" }, { id: "b" }])).toEqual(["CONFIG_INVALID", ["topics.tree[0]"]]);
      expect(await refused([{ id: "x" }, { id: "a", parent: "x" }])).toEqual(["CONFIG_INVALID", ["topics.tree[1]"]]);
      expect(await refused([{ id: "global", parent: "a" }])).toEqual(["CONFIG_INVALID", ["topics.tree[0]"]]);
      // Opened without a configuration, the database still has the last one it took, and its topics only.
      const again = await db.open({ clock });
      expect(again.rulesVersion).toBe(1);
      expect((await again.topics()).map((t) => t.id)).toEqual(["a"]);
      expect((await again.submit(upvote("v1", "42", "9", "7", { topic: "a" }))).entries.map((e) => e.delta)).toEqual([10, 10]);
      expect((await again.verify()).ok).toBe(true);
    });

    it("sees topics another connection added", async () => {
      const r1 = await open("interests");
      const r2 = await open("interests");
      await r2.addTopics({ id: "late" });
      await r1.submit({ id: "s", type: "select_interest", actor: "u", topic: "late" });
      expect((await r1.reputation("u", { topic: "late" })).topics[0]?.points).toBe(5);
    });
  });

  describe("reading", () => {
    it("pages history newest first with a cursor, per user and topic", async () => {
      const r = await open();
      // One vote a day, so the daily cap never applies.
      const day = (i: number) => new Date(Date.parse("2026-10-01T12:00:00Z") + i * 86_400_000).toISOString();
      for (let i = 0; i < 25; i++) await r.submit(upvote(`v${i}`, `w${i}`, `${i}`, "7", { topic: i % 2 === 0 ? "even" : "odd", at: day(i) }));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await r.history("7", { limit: 20, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.entries.map((e) => `${e.action.id}/${e.topic}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(seen).toHaveLength(50);
      expect(new Set(seen).size).toBe(50);
      expect(seen[0]).toBe("v24/global");
      expect(seen[49]).toBe("v0/even");
      const odd = await r.history("7", { topic: "odd", limit: 100 });
      expect(odd.entries.map((e) => e.action.id)).toEqual(Array.from({ length: 12 }, (_, i) => `v${23 - 2 * i}`));
      const first = await r.history("7", { limit: 5 });
      expect(await codeOf(r.history("42", { cursor: first.nextCursor as string }))).toBe("CURSOR_INVALID");
      expect(await codeOf(r.history("7", { cursor: "garbage!" }))).toBe("CURSOR_INVALID");
      expect(await codeOf(r.history("7", { limit: 101 }))).toBe("VALIDATION_FAILED");
    });

    it("ranks leaderboards with ties, pages them and filters by level", async () => {
      const r = await open();
      const give = (user: string, points: number) =>
        r.adjust({ user, points, reason: "seed", by: "admin" });
      for (const [u, p] of [["a", 30], ["b", 20], ["c", 20], ["d", 10], ["e", 2000], ["f", 20]] as const) await give(u, p);
      const all = await r.leaderboard("global", { limit: 100 });
      expect(all.entries.map((e) => [e.rank, e.user, e.points, e.level])).toEqual([
        [1, "e", 2000, "Editor"],
        [2, "a", 30, "Voter"],
        [3, "b", 20, "Voter"],
        [3, "c", 20, "Voter"],
        [3, "f", 20, "Voter"],
        [6, "d", 10, "New"],
      ]);
      const p1 = await r.leaderboard("global", { limit: 3 });
      const p2 = await r.leaderboard("global", { limit: 3, cursor: p1.nextCursor as string });
      expect([...p1.entries, ...p2.entries]).toEqual(all.entries);
      expect(p2.nextCursor).toBeNull();
      expect((await r.leaderboard("global", { level: "Voter" })).entries.map((e) => e.user)).toEqual(["a", "b", "c", "f"]);
      expect((await r.leaderboard("global", { level: "New" })).entries.map((e) => e.user)).toEqual(["d"]);
      expect(await codeOf(r.leaderboard("global", { level: "Wizard" }))).toBe("LEVEL_NOT_FOUND");
      expect(await codeOf(r.leaderboard("nope"))).toBe("TOPIC_NOT_FOUND");
      expect(await codeOf(r.leaderboard("global", { limit: 3, level: "Voter", cursor: p1.nextCursor as string }))).toBe("CURSOR_INVALID");
    });

    it("ranks the top page as rank() does, whatever the page size and however ties fall", async () => {
      const r = await open();
      // Ties at the top, in the middle and at the bottom, some longer than a small page.
      const points = [50, 50, 50, 40, 30, 30, 20, 10, 10, 10, 10];
      await r.submitBatch(points.map((p, i) => ({ id: `t${i}`, type: "adjust", actor: "admin", target: { type: "user", id: `u${i}` }, data: { points: p, reason: "x" } })));
      for (let limit = 1; limit <= points.length + 1; limit++) {
        const top = await r.leaderboard("global", { limit });
        expect(top.entries).toHaveLength(Math.min(limit, points.length));
        for (const e of top.entries) expect(e.rank, `${e.user} on a top page of ${limit}`).toBe((await r.rank(e.user)).rank);
      }
    });

    it("ranks exactly across histogram buckets, negative points included", async () => {
      const r = await open();
      const points = [-70000, -300, -1, 0, 0, 1, 255, 256, 257, 65535, 65536, 65537, 131072, 300000, 7, 7, 7];
      await r.submitBatch(points.map((p, i) => ({ id: `a${i}`, type: "adjust", actor: "admin", target: { type: "user", id: `u${i}` }, data: { points: p === 0 ? 1 : p, reason: "x" } })));
      // Bring the two zeros back to 0.
      await r.submitBatch([3, 4].map((i) => ({ id: `z${i}`, type: "adjust", actor: "admin", target: { type: "user", id: `u${i}` }, data: { points: -1, reason: "x" } })));
      for (let i = 0; i < points.length; i++) {
        const p = points[i] as number;
        const expected = 1 + points.filter((q) => q > p).length;
        expect(await r.rank(`u${i}`)).toMatchObject({ rank: expected, of: points.length, points: p });
      }
      expect(await r.rank("stranger")).toMatchObject({ rank: null, of: points.length, points: 0 });
      expect((await r.verify()).ok).toBe(true);
    });

    it("gives a user with no points the lowest level and zero", async () => {
      const r = await open("interests");
      await r.addTopics({ id: "wine" });
      expect((await r.reputation("nobody")).topics).toEqual([]);
      expect((await r.reputation("nobody", { topic: "wine" })).topics[0]).toMatchObject({ points: 0, level: "Curious", next: { name: "Reader", min: 10 }, progress: 0 });
    });
  });

  describe("delayed publication", () => {
    const daily = { ...qaPreset, publication: { schedule: "daily", at: "00:00" } };

    it("shows today's points as pending and publishes them at the boundary, for every read", async () => {
      const r = await open(daily);
      await r.submit(upvote("v1", "42", "9", "7", { at: "2026-11-19T12:00:00Z" }));
      await r.submit(upvote("v2", "43", "8", "7", { at: "2026-11-20T09:00:00Z" }));
      expect((await r.reputation("7")).topics[0]).toMatchObject({ points: 10, pending: 10 });
      expect((await r.leaderboard()).entries[0]).toMatchObject({ user: "7", points: 10, pending: 10 });
      // Rebuilding from the ledger keeps today's points pending, as they were kept.
      expect((await r.rebuild()).changed).toBe(0);
      expect((await r.reputation("7")).topics[0]).toMatchObject({ points: 10, pending: 10 });
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
      now = Date.parse("2026-11-21T00:00:00Z");
      expect((await r.reputation("7")).topics[0]).toMatchObject({ points: 20, pending: 0 });
      expect((await r.leaderboard()).entries[0]).toMatchObject({ user: "7", points: 20, pending: 0 });
      expect((await r.rank("7")).points).toBe(20);
      expect((await r.rebuild()).changed).toBe(0);
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
      // A late action dated yesterday is published at once.
      await r.submit(upvote("v3", "44", "7", "7", { at: "2026-11-20T11:00:00Z" }));
      expect((await r.reputation("7")).topics[0]).toMatchObject({ points: 30, pending: 0 });
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });

    it("an action's result is the same whether or not a read published the day before first", async () => {
      const results = [];
      for (const readFirst of [false, true]) {
        const other = await kind.fresh();
        try {
          now = Date.parse("2026-11-20T10:00:00Z");
          const r = await other.open({ config: daily as never, clock });
          await r.submit(upvote("v1", "42", "9", "7"));
          await r.submit(upvote("v2", "43", "8", "7"));
          now = Date.parse("2026-11-21T10:00:00Z");
          if (readFirst) await r.leaderboard();
          const today = await r.submit(upvote("v3", "44", "7", "7"));
          const late = await r.submit(upvote("v4", "45", "6", "7", { at: "2026-11-20T11:00:00Z" }));
          results.push([today, late]);
          expect(await r.verify()).toEqual({ ok: true, violations: [] });
        } finally {
          await other.dispose();
        }
      }
      expect(results[0]).toEqual(results[1]);
      const [today, late] = results[0] ?? [];
      // Yesterday's 20 were published at midnight: the level moved then, not with this vote.
      expect(today?.changes.find((c) => c.user === "7")).toMatchObject({ before: { points: 20, pending: 0 }, after: { points: 20, pending: 10 } });
      expect(today?.levels).toEqual([]);
      expect(late?.changes.find((c) => c.user === "7")).toMatchObject({ before: { points: 20, pending: 10 }, after: { points: 30, pending: 10 } });
    });
  });

  describe("changing the rules", () => {
    const rules = (liked: string, floor: number | null, withDown = true) => ({
      rules: [
        { id: "up", action: "upvote", author: 10, description: liked },
        ...(withDown ? [{ id: "down", action: "downvote", author: -3, description: "disliked" }] : []),
      ],
      floor,
    });
    const vote = (id: string, type: string, voter: string) => ({ id, type, actor: voter, target: answer("9", "7") });

    it("reuses a configuration's version when only its $schema differs", async () => {
      expect((await open(rules("liked", 0))).rulesVersion).toBe(1);
      expect((await open({ $schema: "./node_modules/repute/schema.json", ...rules("liked", 0) })).rulesVersion).toBe(1);
      // Another configuration is another version (PostgreSQL's numbers may skip one a reused version's insert drew).
      expect((await open(rules("liked", 1))).rulesVersion).toBeGreaterThan(1);
    });

    it("tells each entry's reason by the rules version that applied it", async () => {
      const before = await open(rules("liked", 0));
      await before.submit(vote("u1", "upvote", "42"));
      for (const v of ["43", "44", "45"]) await before.submit(vote(`d${v}`, "downvote", v));
      const floored = await before.submit(vote("d46", "downvote", "46"));
      expect(floored.entries.map((e) => e.reason)).toEqual(["disliked (answer 9) by 46 (floor 0 reached: -3 asked)"]);
      // Another description, another floor, and no downvote rule at all.
      const after = await open(rules("upvoted", -100, false));
      await after.submit(vote("u2", "upvote", "47"));
      const reasons = (await after.history("7", { limit: 3 })).entries.map((e) => e.reason);
      expect(reasons).toEqual(["upvoted (answer 9) by 47", "disliked (answer 9) by 46 (floor 0 reached: -3 asked)", "disliked (answer 9) by 45"]);
      expect((await after.action("u1"))?.result.entries[0]?.reason).toBe("liked (answer 9) by 42");
      // A retry of an action logged under the old rules answers its original result.
      expect(await after.submit(vote("d46", "downvote", "46"))).toEqual({ ...floored, replay: true });
    });
  });

  describe("changing the publication schedule", () => {
    const at = (hhmm: string) => ({ ...qaPreset, publication: { schedule: "daily", at: hhmm } });
    const split = async (r: Awaited<ReturnType<typeof open>>) => {
      const t = (await r.reputation("7")).topics[0];
      return [t?.points, t?.pending];
    };
    const sound = async (r: Awaited<ReturnType<typeof open>>) => {
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
      expect((await r.rebuild()).changed).toBe(0);
    };

    it("splits every snapshot again under the new schedule when the configuration changes it", async () => {
      now = Date.parse("2026-11-20T12:00:00Z");
      const first = await open(at("06:00"));
      await first.submit(upvote("v1", "42", "9", "7", { at: "2026-11-20T05:00:00Z" }));
      await first.submit(upvote("v2", "43", "8", "7", { at: "2026-11-20T11:00:00Z" }));
      expect(await split(first)).toEqual([10, 10]);
      // Daily to immediate: everything is published, nothing is lost.
      const immediate = await open("qa");
      expect(await split(immediate)).toEqual([20, 0]);
      await immediate.submit(upvote("v3", "44", "7", "7"));
      expect(await split(immediate)).toEqual([30, 0]);
      await sound(immediate);
      // Immediate to daily at 18:00: all three are after yesterday's 18:00 boundary.
      const evening = await open(at("18:00"));
      expect(await split(evening)).toEqual([0, 30]);
      await sound(evening);
      now = Date.parse("2026-11-20T18:00:00Z");
      expect(await split(evening)).toEqual([30, 0]);
      // Back to 06:00 an hour later: the period numbers move back, and the split follows.
      now = Date.parse("2026-11-20T19:00:00Z");
      const morning = await open(at("06:00"));
      expect(await split(morning)).toEqual([10, 20]);
      await sound(morning);
      await morning.submit(upvote("v4", "45", "6", "7"));
      expect(await split(morning)).toEqual([10, 30]);
    });

    it("knows the schedule of a database written before the store kept it", async () => {
      now = Date.parse("2026-11-20T12:00:00Z");
      const old = await open(at("06:00"));
      await old.submit(upvote("v1", "42", "9", "7", { at: "2026-11-20T05:00:00Z" }));
      await old.submit(upvote("v2", "43", "8", "7", { at: "2026-11-20T11:00:00Z" }));
      // As a database of schema version 2 has it: no schedule kept.
      await db.tamper("DELETE FROM meta WHERE key = 'publication'");
      await db.tamper("DELETE FROM schema_migrations WHERE version = 3");
      const immediate = await open("qa");
      expect(await split(immediate)).toEqual([20, 0]);
      await sound(immediate);
    });
  });

  describe("API keys", () => {
    it("creates keys shown once, stores only their hash, authenticates and revokes them", async () => {
      const r = await open();
      const { key, record } = await r.apiKeys.create({ name: "web", role: "app" });
      expect(key).toMatch(/^rpk_[A-Za-z0-9_-]{43}$/);
      expect(record).toMatchObject({ name: "web", role: "app", prefix: key.slice(0, 10), revokedAt: null });
      const stored = await db.query("SELECT * FROM api_keys");
      expect(JSON.stringify(stored)).not.toContain(key.slice(4));
      expect(await r.apiKeys.authenticate(key)).toMatchObject({ name: "web", role: "app" });
      expect(await r.apiKeys.authenticate(`${key}x`)).toBeNull();
      expect(await r.apiKeys.authenticate("not-a-key")).toBeNull();
      expect(await codeOf(r.apiKeys.create({ name: "web", role: "read" }))).toBe("KEY_NAME_TAKEN");
      expect(await codeOf(r.apiKeys.create({ name: "bad name", role: "read" }))).toBe("VALIDATION_FAILED");
      expect(await codeOf(r.apiKeys.create({ name: "x", role: "root" as never }))).toBe("VALIDATION_FAILED");
      await r.apiKeys.revoke("web");
      expect(await r.apiKeys.authenticate(key)).toBeNull();
      expect(await codeOf(r.apiKeys.revoke("web"))).toBe("KEY_NOT_FOUND");
      // The name is free again once revoked.
      const second = await r.apiKeys.create({ name: "web", role: "admin" });
      expect((await r.apiKeys.list()).map((k) => [k.name, k.role, k.revokedAt === null])).toEqual([
        ["web", "app", false],
        ["web", "admin", true],
      ]);
      expect(await r.apiKeys.authenticate(second.key)).toMatchObject({ role: "admin" });
    });

    it("a key revoked while a request is checking it is refused at once afterwards", async () => {
      const r = await open();
      const { key } = await r.apiKeys.create({ name: "web", role: "app" });
      // The check reads the key while it is active and answers only after the revocation.
      const read = r.store.apiKeyByHash.bind(r.store);
      let answer = () => {};
      const revoked = new Promise<void>((resolve) => (answer = resolve));
      vi.spyOn(r.store, "apiKeyByHash").mockImplementationOnce(async (hash) => {
        const record = await read(hash);
        await revoked;
        return record;
      });
      const checking = r.apiKeys.authenticate(key);
      await r.apiKeys.revoke("web");
      answer();
      expect(await checking).toMatchObject({ name: "web" }); // it began before the revocation
      expect(await r.apiKeys.authenticate(key)).toBeNull();
    });

    it("a key revoked by another process stops working within the cache time", async () => {
      const service = await open();
      const admin = await open();
      const { key } = await admin.apiKeys.create({ name: "web", role: "app" });
      expect(await service.apiKeys.authenticate(key)).not.toBeNull();
      await admin.apiKeys.revoke("web");
      // Still trusted from the cache just after, not for longer than API_KEY_CACHE_MS.
      await new Promise((r) => setTimeout(r, API_KEY_CACHE_MS + 50));
      expect(await service.apiKeys.authenticate(key)).toBeNull();
    });
  });

  describe("maintenance", () => {
    it("rebuild reproduces the kept snapshots exactly", async () => {
      const r = await open();
      for (let i = 0; i < 40; i++) await r.submit(upvote(`v${i}`, `w${i % 7}`, `p${i % 5}`, `a${i % 3}`, { topic: `t${i % 4}` }));
      await r.submit({ id: "r", type: "revert", actor: "w1", reverts: "v1" });
      const before = await db.query("SELECT * FROM snapshots ORDER BY user_id, topic");
      expect(await r.rebuild()).toMatchObject({ changed: 0, snapshots: before.length });
      expect(await db.query("SELECT * FROM snapshots ORDER BY user_id, topic")).toEqual(before);
    });

    it("the ledger is append-only in the database itself", async () => {
      const r = await open();
      await r.submit(upvote("v1", "42", "9", "7"));
      await expect(db.tamper("UPDATE entries SET delta = 100")).rejects.toThrow(/append-only/);
      await expect(db.tamper("DELETE FROM entries")).rejects.toThrow(/append-only/);
      await expect(db.tamper("DELETE FROM actions")).rejects.toThrow(/append-only/);
      await expect(db.tamper("UPDATE actions SET actor = 'x'")).rejects.toThrow(/append-only/);
    });

    it("verify reports a tampered snapshot and rebuild repairs it", async () => {
      const r = await open();
      await r.submit(upvote("v1", "42", "9", "7"));
      await db.tamper("UPDATE snapshots SET points = 999 WHERE user_id = '7'");
      const report = await r.verify();
      expect(report.ok).toBe(false);
      expect(new Set(report.violations.map((v) => v.invariant))).toEqual(new Set(["snapshot-sum", "rebuild-equal", "rank-counts"]));
      expect(report.violations[0]?.message).toContain("7/global");
      expect((await r.rebuild()).changed).toBe(1);
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });

    it("verify names the field of a snapshot that differs from the ledger", async () => {
      const r = await open();
      await r.submit(upvote("v1", "42", "9", "7", { at: "2026-11-20T09:00:00Z" }));
      await db.tamper("UPDATE snapshots SET last_at = 0, period = 5 WHERE user_id = '7'");
      const messages = (await r.verify()).violations.filter((v) => v.invariant === "rebuild-equal").map((v) => v.message);
      expect(messages).toEqual(["snapshot 7/global kept period 5, last entry at 1970-01-01T00:00:00.000Z; the ledger gives 0, 2026-11-20T09:00:00.000Z"]);
      expect((await r.rebuild()).changed).toBe(1);
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
    });

    it("keeps actions dated before 1970 as the ledger has them", async () => {
      const r = await open({ ...qaPreset, publication: { schedule: "daily", at: "06:00" } });
      await r.submit(upvote("moon", "42", "9", "7", { at: "1969-07-20T20:17:00Z" }));
      await r.submit(upvote("epoch", "43", "10", "8", { at: "1970-01-01T03:00:00Z" }));
      expect((await r.reputation("7")).topics.map((t) => [t.points, t.pending, t.lastAt])).toEqual([[10, 0, "1969-07-20T20:17:00.000Z"]]);
      expect(await r.verify()).toEqual({ ok: true, violations: [] });
      expect((await r.rebuild()).changed).toBe(0);
    });

    it("verify reports forged entries, broken counters and stale awards", async () => {
      const r = await open();
      await r.submit(upvote("v1", "42", "9", "7"));
      await db.tamper(`INSERT INTO entries (action_id, idx, user_id, topic, delta, kind, rule, role, rules_version, at)
                       VALUES ('v1', 7, '7', 'global', 50, 'rule', 'qa.upvote', 'author', 1, 0)`);
      await db.tamper("UPDATE counters SET amount = 0");
      await db.tamper("INSERT INTO awards (key, action_id) VALUES ('k', 'ghost')");
      const invariants = new Set((await r.verify()).violations.map((v) => v.invariant));
      for (const inv of ["snapshot-sum", "append-only", "applied-once", "cap", "awards"]) expect(invariants).toContain(inv);
    });

    it("verify reports a revert that is not the exact negation", async () => {
      const r = await open();
      await r.submit(upvote("v1", "42", "9", "7"));
      await r.submit({ id: "r1", type: "revert", actor: "42", reverts: "v1" });
      await db.tamper(`INSERT INTO entries (action_id, idx, user_id, topic, delta, kind, rule, role, reverses_action, reverses_idx, rules_version, at)
                       SELECT 'r1', 9, '7', 'global', -3, 'revert', 'qa.upvote', 'author', 'v1', 2, rules_version, at FROM actions WHERE id = 'r1'`);
      const invariants = (await r.verify()).violations.map((v) => v.invariant);
      expect(invariants).toContain("revert-exact");
    });

    it("records each rules version and keeps explaining old entries after the rules change", async () => {
      const r1 = await open();
      await r1.submit(upvote("v1", "42", "9", "7"));
      await r1.close();
      const changed = { ...qaPreset, rules: qaPreset.rules.map((rule) => (rule.id === "qa.upvote" ? { ...rule, author: 20 } : rule)) };
      const r2 = await open(changed);
      expect(r2.rulesVersion).toBe(2);
      await r2.submit(upvote("v2", "43", "8", "7"));
      const versions = await db.query("SELECT e.action_id, e.rules_version FROM entries e WHERE e.user_id = '7' ORDER BY e.id");
      expect(versions.map((v) => [v.action_id, Number(v.rules_version)])).toEqual([
        ["v1", 1],
        ["v2", 2],
      ]);
      expect((await r2.reputation("7")).topics[0]?.points).toBe(30);
      expect(await r2.verify()).toEqual({ ok: true, violations: [] });
      // Opened again without a configuration, the database keeps its latest one.
      await r2.close();
      const r3 = await db.open({ clock });
      expect(r3.rulesVersion).toBe(2);
      // The first configuration again is version 1 again, not a new one.
      const r4 = await open();
      expect(r4.rulesVersion).toBe(1);
    });
  });
});
