import type { Command } from "commander";
import { withEngine } from "../engine.js";
import { globals } from "../globals.js";
import { printJson, printTable } from "../output.js";

/** `repute show USER [--topic T]`: a user's points, level and progress per topic. */
export function register(program: Command): void {
  program
    .command("show")
    .description("a user's reputation: points, pending, level and progress per topic")
    .argument("<user>", "user id")
    .option("--topic <topic>", "one topic only")
    .option("--json", "print JSON")
    .action(async (user: string, opts: { topic?: string }, cmd: Command) => {
      const g = globals(cmd);
      const rep = await withEngine(g, (r) => r.reputation(user, opts.topic === undefined ? {} : { topic: opts.topic }));
      if (g.json) return printJson(rep);
      printTable(
        ["topic", "points", "pending", "peak", "level", "next", "progress"],
        rep.topics.map((t) => [t.topic, t.points, t.pending, t.peak, t.level, t.next === null ? "-" : `${t.next.name} at ${t.next.min}`, `${percent(t.progress)}%`]),
        `${user} has no reputation yet`,
      );
    });
}

/** Progress (to 4 decimals) in whole percent, rounded down: 0.29 is 29, 0.995 is 99. `Math.floor(0.29 * 100)` would be 28. */
function percent(progress: number): number {
  return Math.floor(Math.round(progress * 10_000) / 100);
}
