import type { Command } from "commander";
import { withEngine } from "../engine.js";
import { globals } from "../globals.js";
import { printJson } from "../output.js";

/** `repute verify`: check every invariant; exit 1 when one is violated. */
export function register(program: Command): void {
  program
    .command("verify")
    .description("check every ledger invariant; exits 1 when one is violated")
    .option("--json", "print JSON")
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const report = await withEngine(g, (r) => r.verify());
      if (g.json) printJson(report);
      else if (report.ok) process.stdout.write("ok: every invariant holds\n");
      else for (const v of report.violations) process.stdout.write(`violation [${v.invariant}] ${v.message}\n`);
      if (!report.ok) process.exitCode = 1;
    });
}
