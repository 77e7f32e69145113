import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { type FreshDatabase, describeStores } from "../support/stores.js";
import { workload } from "./concurrency-workload.js";

const WORKERS = 8;

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

async function totals(db: FreshDatabase) {
  return db.query("SELECT user_id, topic, points, pending FROM snapshots ORDER BY user_id, topic");
}

describeStores("concurrency across processes", (kind) => {
  const made: FreshDatabase[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const db of made.splice(0)) await db.dispose();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it(
    `${WORKERS} processes submitting overlapping actions apply each exactly once, with the totals of a serial run`,
    async () => {
      const shared = await kind.fresh();
      made.push(shared);
      await (await shared.open({ config: "qa" })).close(); // migrate once up front; workers also race to open
      const dir = mkdtempSync(join(tmpdir(), "repute-conc-"));
      dirs.push(dir);
      const outs = Array.from({ length: WORKERS }, (_, w) => join(dir, `w${w}.json`));
      const exits = await Promise.all(outs.map((out, w) => run(["test/store/concurrency-worker.ts", shared.location, String(w), out])));
      for (const e of exits) expect(e.stderr).toBe("");
      expect(exits.map((e) => e.code)).toEqual(Array(WORKERS).fill(0));

      const actions = workload();
      // Every caller of an id got the same result.
      const seen = new Map<string, string>();
      for (const out of outs) {
        for (const [id, result] of Object.entries(JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>)) {
          const json = JSON.stringify(result);
          if (seen.has(id)) expect(json, id).toBe(seen.get(id));
          else seen.set(id, json);
        }
      }
      expect(seen.size).toBe(actions.length);
      const logged = await shared.query("SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM actions");
      expect([Number(logged[0]?.n), Number(logged[0]?.d)]).toEqual([actions.length, actions.length]);
      const r = await shared.open({ config: "qa" });
      expect((await r.verify()).violations).toEqual([]);

      const serial = await kind.fresh();
      made.push(serial);
      const s = await serial.open({ config: "qa" });
      for (let i = 0; i < actions.length; i += 500) await s.submitBatch(actions.slice(i, i + 500));
      const expected = await totals(serial);
      expect(expected.length).toBeGreaterThan(100);
      expect(await totals(shared)).toEqual(expected);
      // The cap held: authors received far more upvotes than 200 points' worth.
      expect(expected.filter((t) => t.topic === "global" && String(t.user_id).startsWith("author")).every((t) => Number(t.points) <= 200 + 50)).toBe(true);
    },
    180_000,
  );
});
