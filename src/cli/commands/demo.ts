import { rmSync } from "node:fs";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import type { ActionInput } from "../../core/action.js";
import { ReputeError } from "../../core/errors.js";
import { interestsPreset } from "../../core/rules/presets/interests.js";
import { demoActions, demoTopics } from "../../demo/demo-community.js";
import { openRepute } from "../../open-repute.js";
import { reputeCommand } from "../command-line.js";
import { integer } from "../globals.js";
import { counted, formatTable } from "../output.js";

const DEMO_DB = "./repute-demo.db";
const BATCH = 1000;

/** `repute demo`: a simulated community on the interests preset, then its leaderboards. */
export function register(program: Command): void {
  program
    .command("demo")
    .description(`simulate a community (interests preset, a topic tree) in ${DEMO_DB} and print its leaderboards`)
    .option("--users <n>", "users", integer, 3000)
    .option("--actions <n>", "actions", integer, 40_000)
    .option("--seed <n>", "random seed (same seed, same community)", integer, 42)
    .option("--demo-db <path>", "where to build it (replaced if it exists)", DEMO_DB)
    .action(async (opts: { users: number; actions: number; seed: number; demoDb: string }) => {
      for (const [name, v, min, max] of [
        ["--users", opts.users, 1, 1_000_000],
        ["--actions", opts.actions, 1, 10_000_000],
        ["--seed", opts.seed, 0, 2 ** 32 - 1],
      ] as const) {
        if (!Number.isSafeInteger(v) || v < min || v > max) throw new ReputeError("VALIDATION_FAILED", `${name} must be a whole number from ${min} to ${max}`);
      }
      for (const suffix of ["", "-wal", "-shm"]) rmSync(opts.demoDb + suffix, { force: true });
      const config = { ...interestsPreset, topics: { ...interestsPreset.topics, tree: demoTopics } };
      const repute = await openRepute({ db: opts.demoDb, config });
      try {
        const started = performance.now();
        const bar = process.stderr.isTTY ? new SingleBar({ format: "simulating |{bar}| {value}/{total} actions", hideCursor: true, clearOnComplete: true }) : null;
        bar?.start(opts.actions, 0);
        const start = Date.parse("2026-09-01T00:00:00Z");
        let batch: ActionInput[] = [];
        let done = 0;
        for (const action of demoActions({ users: opts.users, actions: opts.actions, seed: opts.seed, start, days: 60 })) {
          batch.push(action);
          if (batch.length === BATCH) {
            await repute.submitBatch(batch);
            done += batch.length;
            batch = [];
            bar?.update(done);
          }
        }
        if (batch.length > 0) await repute.submitBatch(batch);
        bar?.stop();
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `simulated ${opts.actions} actions by up to ${opts.users} users over ${demoTopics.length} topics in ${seconds.toFixed(1)}s (${Math.round(opts.actions / seconds)} actions/s)\n`,
        );
        for (const topic of ["beer", "wine", "spirits"]) {
          const board = await repute.leaderboard(topic, { limit: 10 });
          process.stdout.write(`\nleaderboard: ${topic}\n`);
          process.stdout.write(`${formatTable(["rank", "user", "points", "level"], board.entries.map((e) => [e.rank, e.user, e.points, e.level]))}\n`);
        }
        const verify = await repute.verify();
        process.stdout.write(`\nverify: ${verify.ok ? "every invariant holds" : counted(verify.violations.length, "violation")}\n`);
        const top = (await repute.leaderboard("beer", { limit: 1 })).entries[0]?.user ?? "u0";
        // The hints name no config file: they run on the demo database's own configuration, unless a
        // ./repute.config.json where they are run says otherwise (docs/cli.md, `demo`).
        const on = { db: opts.demoDb, config: undefined };
        const next = [["show", top], ["history", top], ["leaderboard", "ipa"], ["topics", "list"]].map((words) => `  ${reputeCommand(on, words)}\n`);
        process.stdout.write(`explore:\n${next.join("")}`);
      } finally {
        await repute.close();
      }
    });
}
