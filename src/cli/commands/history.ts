import type { Command } from "commander";
import { reputeCommand } from "../command-line.js";
import { withEngine } from "../engine.js";
import { globals, integer } from "../globals.js";
import { printJson, printTable, signed } from "../output.js";

/** Entries a page unless --limit says otherwise. */
const LIMIT = 20;

/** `repute history USER`: ledger entries newest first, with reasons. */
export function register(program: Command): void {
  program
    .command("history")
    .description("a user's ledger entries, newest first, each with its reason")
    .argument("<user>", "user id")
    .option("--topic <topic>", "one topic only")
    .option("--limit <n>", "entries per page (1-100)", integer, LIMIT)
    .option("--cursor <cursor>", "continue from a previous page")
    .option("--json", "print JSON")
    .action(async (user: string, opts: { topic?: string; limit: number; cursor?: string }, cmd: Command) => {
      const g = globals(cmd);
      const page = await withEngine(g, (r) =>
        r.history(user, { limit: opts.limit, ...(opts.cursor === undefined ? {} : { cursor: opts.cursor }), ...(opts.topic === undefined ? {} : { topic: opts.topic }) }),
      );
      if (g.json) return printJson(page);
      printTable(
        ["at", "delta", "topic", "action", "reason"],
        page.entries.map((e) => [e.at, signed(e.delta), e.topic, e.action.id, e.reason]),
        `${user} has no history yet`,
      );
      if (page.nextCursor !== null) {
        const limit = opts.limit === LIMIT ? undefined : opts.limit;
        process.stdout.write(`more: ${reputeCommand(g, ["history", user], { topic: opts.topic, limit, cursor: page.nextCursor })}\n`);
      }
    });
}
