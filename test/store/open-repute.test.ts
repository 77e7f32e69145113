import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ReputeError, isReputeError } from "../../src/core/errors.js";
import { presets } from "../../src/core/rules/presets/index.js";
import { openRepute } from "../../src/open-repute.js";

describe("openRepute", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const newPath = () => {
    const dir = mkdtempSync(join(tmpdir(), "repute-open-"));
    dirs.push(dir);
    return join(dir, "r.db");
  };
  const refusal = async (options: unknown): Promise<ReputeError> => {
    const e: unknown = await openRepute(options as never).then(
      async (r) => {
        await r.close();
        return null;
      },
      (err: unknown) => err,
    );
    if (!isReputeError(e)) throw new Error(`expected a ReputeError, got ${String(e)}`);
    return e;
  };
  const issues = (e: ReputeError) => (e.details?.issues as Array<{ path: string; message: string }>).map((i) => `${i.path}: ${i.message}`);

  it("refuses an option it does not know, a misspelt durability and a clock that is not a function, and creates no file", async () => {
    const db = newPath();
    const defaultFile = existsSync("./repute.db");
    // `durabilty` would otherwise open at normal durability, and `database` on ./repute.db.
    for (const [options, path] of [
      [{ db, durabilty: "full" }, '(root): unknown field "durabilty"'],
      [{ database: db }, '(root): unknown field "database"'],
      [{ db, durability: "FULL" }, "durability: "],
      [{ db, clock: "now" }, "clock: a function returning epoch milliseconds"],
      [{ db: "" }, "db: "],
      [{ db: null }, "db: "],
    ] as const) {
      const e = await refusal(options);
      expect(e.code, JSON.stringify(options)).toBe("VALIDATION_FAILED");
      expect(issues(e), JSON.stringify(options)).toEqual([expect.stringContaining(path)]);
    }
    expect((await refusal(null)).code).toBe("VALIDATION_FAILED");
    expect(existsSync(db)).toBe(false);
    expect(existsSync("./repute.db")).toBe(defaultFile);
  });

  it("a topic tree a new database cannot take creates no file; a stored parent is found in an existing one", async () => {
    const db = newPath();
    const tree = (topics: Array<{ id: string; parent?: string }>) => ({ ...presets.qa, topics: { ...presets.qa.topics, tree: topics } });
    const e = await refusal({ db, config: tree([{ id: "ipa", parent: "beer" }]) });
    expect([e.code, e.message]).toEqual(["CONFIG_INVALID", 'invalid config: topics.tree[0]: parent topic "beer" does not exist']);
    expect(existsSync(db)).toBe(false);
    await (await openRepute({ db, config: tree([{ id: "beer" }]) })).close();
    const repute = await openRepute({ db, config: tree([{ id: "ipa", parent: "beer" }]) });
    expect((await repute.topics()).map((t) => [t.id, t.parent])).toEqual([["beer", "global"], ["ipa", "beer"]]);
    await repute.close();
  });

  it("opens with every documented option", async () => {
    const db = newPath();
    const repute = await openRepute({ db, config: "qa", clock: () => Date.parse("2026-11-20T10:00:00Z"), durability: "full" });
    const [result] = await repute.submitBatch([{ id: "p1", type: "post", actor: "7", target: { type: "question", id: "1", author: "7" } }]);
    expect(result?.entries.map((e) => e.delta)).toEqual([5]);
    expect((await repute.action("p1"))?.action.at).toBe("2026-11-20T10:00:00.000Z");
    await repute.close();
  });
});
