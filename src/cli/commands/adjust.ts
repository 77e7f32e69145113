import type { Command } from "commander";
import { withEngine } from "../engine.js";
import { globals, integer } from "../globals.js";
import { printJson, signed } from "../output.js";

/** `repute adjust USER POINTS --reason R`: a manual change, recorded in the ledger. */
export function register(program: Command): void {
  program
    .command("adjust")
    .description("add or remove points by hand; recorded in the ledger with its reason")
    .argument("<user>", "user id")
    .argument("<points>", "whole number, e.g. 10 or -5", integer)
    .requiredOption("--reason <text>", "why (shown in the user's history)")
    .option("--topic <topic>", "topic (rolls up like any award)")
    .option("--by <who>", "who made it", process.env.USER ?? "cli")
    .option("--id <id>", "action id (idempotency key); generated when omitted")
    .option("--json", "print JSON")
    .allowExcessArguments(false)
    .action(async (user: string, points: number, opts: { reason: string; topic?: string; by: string; id?: string }, cmd: Command) => {
      const g = globals(cmd);
      const result = await withEngine(g, (r) =>
        r.adjust({ user, points, reason: opts.reason, by: opts.by, ...(opts.topic === undefined ? {} : { topic: opts.topic }), ...(opts.id === undefined ? {} : { id: opts.id }) }),
      );
      if (g.json) return printJson(result);
      for (const e of result.entries) process.stdout.write(`${signed(e.delta)} ${e.user} in ${e.topic}: ${e.reason}\n`);
    });
}
