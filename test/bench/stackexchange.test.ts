import { afterAll, describe, expect, it } from "vitest";
import { cleanup, engineOn, freshPath } from "../../bench/harness/fixtures.js";
import { hasStackExchangeDump, stackExchangeHistory } from "../../bench/harness/stackexchange.js";

afterAll(cleanup);

// The real-community benchmark (9) reads beer.stackexchange.com's dump from ../shared;
// a clone without it skips, as the benchmark does.
describe.skipIf(!hasStackExchangeDump())("a Stack Exchange dump as qa actions", () => {
  const history = hasStackExchangeDump() ? stackExchangeHistory() : null;

  it("keeps every owned question and answer and every up- and downvote on them, in the order they happened", () => {
    const h = history!;
    // The dump's README: 591 questions and 1,398 answers, 8 of them without an owner.
    expect(h.posts).toBe(591 + 1_398 - 8);
    expect(h.skippedPosts).toBe(8);
    // 9,061 upvotes and 560 downvotes; 536 of them are on deleted or ownerless posts.
    expect(h.upvotes + h.downvotes + h.skippedVotes).toBe(9_061 + 560);
    expect(h.skippedVotes).toBe(536);
    expect(h.actions).toHaveLength(h.posts + h.upvotes + h.downvotes);
    const times = h.actions.map((a) => Date.parse(a.at as string));
    expect(times.every((t, i) => i === 0 || (times[i - 1] as number) <= t)).toBe(true);
  });

  it("is accepted whole by the engine, which credits each author what the qa rules say and says which upvotes the cap withheld", async () => {
    const h = history!;
    const repute = await engineOn(freshPath(), "qa");
    try {
      const withheld: string[] = [];
      for (let i = 0; i < h.actions.length; i += 1000) {
        const results = await repute.submitBatch(h.actions.slice(i, i + 1000));
        expect(results.every((r) => "action" in r && !r.replay)).toBe(true);
        for (const r of results) for (const w of "withheld" in r ? r.withheld : []) withheld.push(`${r.action} ${w.why} ${w.role} ${w.points}`);
      }
      // Expected global points, counted from the actions alone: a question 5, an answer 10,
      // an upvote on one's post 10 (at most 200 a day from votes), a downvote −2.
      const expected = new Map<string, number>();
      const upvotesOn = new Map<string, number>(); // author and day
      const overCap: string[] = []; // upvotes that arrive when the author's day is full
      const add = (user: string, n: number) => expected.set(user, (expected.get(user) ?? 0) + n);
      for (const a of h.actions) {
        const author = a.target?.author as string;
        if (a.type === "post") add(author, a.target?.type === "question" ? 5 : 10);
        if (a.type === "downvote") add(author, -2);
        if (a.type === "upvote") {
          const day = `${author} ${(a.at as string).slice(0, 10)}`;
          const before = upvotesOn.get(day) ?? 0;
          upvotesOn.set(day, before + 1);
          add(author, Math.max(0, Math.min(10, 200 - before * 10)));
          if (before >= 20) overCap.push(`${a.id} cap author 10`);
        }
      }
      expect(expected.size).toBeGreaterThan(500);
      const mismatched: string[] = [];
      for (const [user, points] of expected) {
        const got = (await repute.reputation(user, { topic: "global" })).topics[0]?.points;
        if (got !== points) mismatched.push(`${user}: ${got} != ${points}`);
      }
      expect(mismatched).toEqual([]);
      expect(overCap.length).toBeGreaterThan(100);
      expect(withheld).toEqual(overCap);
      expect((await repute.verify()).violations).toEqual([]);
    } finally {
      await repute.close();
    }
  });
});
