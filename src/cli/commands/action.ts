import type { Command } from "commander";
import { ReputeError } from "../../core/errors.js";
import { withEngine } from "../engine.js";
import { globals } from "../globals.js";
import { printJson, printTable, signed } from "../output.js";

/** `repute action ID`: one logged action, what it applied, and whether it was reverted. */
export function register(program: Command): void {
  program
    .command("action")
    .description("one logged action with the entries it applied")
    .argument("<id>", "action id")
    .option("--json", "print JSON")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const view = await withEngine(g, (r) => r.action(id));
      if (view === null) throw new ReputeError("ACTION_NOT_FOUND", `action "${id}" does not exist`, { action: id });
      if (g.json) return printJson(view);
      const a = view.action;
      const target = a.target === undefined ? "" : ` on ${a.target.type} ${a.target.id}${a.target.author === undefined ? "" : ` (author ${a.target.author})`}`;
      process.stdout.write(`${a.id}: ${a.type} by ${a.actor}${target}${a.topic === undefined ? "" : ` in ${a.topic}`} at ${a.at}\n`);
      if (view.revertedBy !== null) process.stdout.write(`reverted by ${view.revertedBy}\n`);
      printTable(["user", "topic", "delta", "reason"], view.result.entries.map((e) => [e.user, e.topic, signed(e.delta), e.reason]), "(no points)");
      for (const w of view.result.withheld) process.stdout.write(`withheld from ${w.user}: ${signed(w.points)}, ${w.reason}\n`);
    });
}
