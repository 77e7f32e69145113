import type { Command } from "commander";
import { GLOBAL_TOPIC } from "../../core/ids.js";
import { reputeCommand } from "../command-line.js";
import { withEngine } from "../engine.js";
import { globals, integer } from "../globals.js";
import { printJson, printTable } from "../output.js";

/** Rows a page unless --limit says otherwise. */
const LIMIT = 10;

/** `repute leaderboard [TOPIC]`: the top of a topic by published points. */
export function register(program: Command): void {
  program
    .command("leaderboard")
    .description("the top users of a topic by published points")
    .argument("[topic]", "topic", GLOBAL_TOPIC)
    .option("--limit <n>", "rows (1-100)", integer, LIMIT)
    .option("--level <name>", "only users at this level")
    .option("--cursor <cursor>", "continue from a previous page")
    .option("--json", "print JSON")
    .action(async (topic: string, opts: { limit: number; level?: string; cursor?: string }, cmd: Command) => {
      const g = globals(cmd);
      const board = await withEngine(g, (r) =>
        r.leaderboard(topic, { limit: opts.limit, ...(opts.level === undefined ? {} : { level: opts.level }), ...(opts.cursor === undefined ? {} : { cursor: opts.cursor }) }),
      );
      if (g.json) return printJson(board);
      printTable(["rank", "user", "points", "pending", "level"], board.entries.map((e) => [e.rank, e.user, e.points, e.pending, e.level]), `nobody has points in ${topic} yet`);
      if (board.nextCursor !== null) {
        const limit = opts.limit === LIMIT ? undefined : opts.limit;
        process.stdout.write(`more: ${reputeCommand(g, ["leaderboard", topic], { limit, level: opts.level, cursor: board.nextCursor })}\n`);
      }
    });
}
