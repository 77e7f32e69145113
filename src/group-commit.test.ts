import { describe, expect, it } from "vitest";
import { ReputeError } from "./core/errors.js";
import { GroupCommit, type UnitSubmitter } from "./group-commit.js";
import type { UnitOutcome } from "./store/store.js";

/** A fake engine: records each submitUnits call; a unit whose first item is "bad" fails alone. */
function fakeEngine(options: { delayMs?: number; fail?: Error } = {}) {
  const calls: unknown[][][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const engine: UnitSubmitter = {
    async submitUnits(units) {
      calls.push(units.map((u) => [...u]));
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (options.delayMs !== undefined) await new Promise((r) => setTimeout(r, options.delayMs));
        if (options.fail !== undefined) throw options.fail;
        return units.map(
          (u): UnitOutcome =>
            u[0] === "bad"
              ? { ok: false, error: new ReputeError("VALIDATION_FAILED", "bad unit") }
              : { ok: true, results: u.map((a) => ({ action: String(a), replay: false, entries: [], changes: [], levels: [], withheld: [] })) },
        );
      } finally {
        inFlight--;
      }
    },
  };
  return { engine, calls, maxInFlight: () => maxInFlight };
}

const ids = (o: UnitOutcome) => (o.ok ? o.results.map((r) => r.action) : o.error.code);

describe("GroupCommit", () => {
  it("commits units submitted in the same turn of the event loop in one transaction, answering each caller with its own outcome", async () => {
    const { engine, calls } = fakeEngine();
    const commits = new GroupCommit(engine);
    const outcomes = await Promise.all([commits.submit(["a"]), commits.submit(["b", "c"]), commits.submit(["d"])]);
    expect(calls).toEqual([[["a"], ["b", "c"], ["d"]]]);
    expect(outcomes.map(ids)).toEqual([["a"], ["b", "c"], ["d"]]);
    expect(commits.stats).toEqual({ transactions: 1, units: 3, actions: 4, refused: 0 });
  });

  it("fails a bad unit alone", async () => {
    const { engine } = fakeEngine();
    const commits = new GroupCommit(engine);
    const outcomes = await Promise.all([commits.submit(["a"]), commits.submit(["bad"]), commits.submit(["c"])]);
    expect(outcomes.map(ids)).toEqual([["a"], "VALIDATION_FAILED", ["c"]]);
  });

  it("takes at most maxUnits units, and maxActions actions unless one unit alone is larger", async () => {
    const { engine, calls } = fakeEngine();
    const byUnits = new GroupCommit(engine, { maxUnits: 2 });
    await Promise.all(["a", "b", "c", "d", "e"].map((x) => byUnits.submit([x])));
    expect(calls.map((c) => c.length)).toEqual([2, 2, 1]);
    calls.length = 0;
    const byActions = new GroupCommit(engine, { maxActions: 3 });
    await Promise.all([byActions.submit(["a", "b"]), byActions.submit(["c", "d"]), byActions.submit(["e", "f", "g", "h"]), byActions.submit(["i"])]);
    expect(calls.map((c) => c.map((u) => u.length))).toEqual([[2], [2], [4], [1]]);
  });

  it("keeps one transaction in flight; what arrives meanwhile forms the next one", async () => {
    const { engine, calls, maxInFlight } = fakeEngine({ delayMs: 20 });
    const commits = new GroupCommit(engine);
    const first = commits.submit(["a"]);
    await new Promise((r) => setTimeout(r, 5)); // "a" is in flight now
    const rest = [commits.submit(["b"]), commits.submit(["c"])];
    await new Promise((r) => setTimeout(r, 5));
    const more = commits.submit(["d"]);
    await Promise.all([first, ...rest, more]);
    expect(calls).toEqual([[["a"]], [["b"], ["c"], ["d"]]]);
    expect(maxInFlight()).toBe(1);
  });

  it("waits windowMs for more units before committing", async () => {
    const { engine, calls } = fakeEngine();
    const commits = new GroupCommit(engine, { windowMs: 30 });
    const a = commits.submit(["a"]);
    await new Promise((r) => setTimeout(r, 10));
    const b = commits.submit(["b"]);
    await Promise.all([a, b]);
    expect(calls).toEqual([[["a"], ["b"]]]);
  });

  it("commits every unit in its own transaction when disabled", async () => {
    const { engine, calls } = fakeEngine();
    const commits = new GroupCommit(engine, { enabled: false });
    await Promise.all([commits.submit(["a"]), commits.submit(["b"])]);
    expect(calls).toEqual([[["a"]], [["b"]]]);
    expect(commits.stats.transactions).toBe(2);
  });

  it("rejects every caller of a transaction the database failed, and goes on with the next", async () => {
    const failing = fakeEngine({ fail: new ReputeError("STORE_FAILED", "disk full") });
    const commits = new GroupCommit(failing.engine);
    const results = await Promise.allSettled([commits.submit(["a"]), commits.submit(["b"])]);
    expect(results.map((r) => (r.status === "rejected" ? (r.reason as ReputeError).code : "ok"))).toEqual(["STORE_FAILED", "STORE_FAILED"]);
    expect(commits.stats.transactions).toBe(0);
  });

  it("refuses options it does not know or cannot use, naming each", () => {
    const { engine } = fakeEngine();
    for (const [options, path] of [
      [{ maxUnit: 5 }, "(root)"],
      [{ maxUnits: 0 }, "maxUnits"],
      [{ maxActions: 1.5 }, "maxActions"],
      [{ windowMs: -1 }, "windowMs"],
      [{ enabled: "yes" }, "enabled"],
    ] as const) {
      const e = (() => {
        try {
          new GroupCommit(engine, options as never);
        } catch (err) {
          return err as ReputeError;
        }
        return null;
      })();
      expect([e?.code, (e?.details?.issues as Array<{ path: string }>).map((i) => i.path)], JSON.stringify(options)).toEqual(["VALIDATION_FAILED", [path]]);
    }
  });

  it("refuses a unit that would take the backlog past maxPending, at once and with when to retry, and takes units again once it drains", async () => {
    const { engine, calls } = fakeEngine({ delayMs: 20 });
    const commits = new GroupCommit(engine, { maxPending: 3 });
    const first = commits.submit(["a"]); // in flight alone: the backlog is empty again
    await new Promise((r) => setImmediate(r));
    const queued = [commits.submit(["b", "c"]), commits.submit(["d"])];
    expect(commits.pendingActions).toBe(3);
    const refused = await commits.submit(["e"]).catch((e: ReputeError) => e);
    expect([(refused as ReputeError).code, (refused as ReputeError).details]).toEqual(["SERVICE_UNAVAILABLE", { pendingActions: 3, retryAfter: 1 }]);
    await Promise.all([first, ...queued]);
    expect(commits.pendingActions).toBe(0);
    expect(ids(await commits.submit(["e", "f", "g", "h"]))).toEqual(["e", "f", "g", "h"]); // an empty backlog takes any unit
    expect(calls.map((c) => c.map((u) => u.join("")))).toEqual([["a"], ["bc", "d"], ["efgh"]]);
    expect(commits.stats.refused).toBe(1);
  });

  it("drain resolves once every pending unit is committed", async () => {
    const { engine } = fakeEngine({ delayMs: 10 });
    const commits = new GroupCommit(engine, { maxUnits: 1 });
    const answered: string[] = [];
    for (const x of ["a", "b", "c"]) void commits.submit([x]).then(() => answered.push(x));
    await commits.drain();
    expect(answered).toEqual(["a", "b", "c"]);
    expect(commits.pending).toBe(0);
    await commits.drain(); // idle: resolves at once
  });
});
