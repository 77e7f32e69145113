import type { Command } from "commander";
import { withEngine } from "../engine.js";
import { globals } from "../globals.js";
import { counted, printJson } from "../output.js";

/** `repute rebuild`: recompute every snapshot from the ledger. */
export function register(program: Command): void {
  program
    .command("rebuild")
    .description("recompute every snapshot, rank count and cap counter from the ledger")
    .option("--json", "print JSON")
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const report = await withEngine(g, (r) => r.rebuild());
      if (g.json) return printJson(report);
      process.stdout.write(
        `rebuilt ${counted(report.snapshots, "snapshot")} from ${counted(report.entries, "entry", "entries")}; ${report.changed} differed from the kept snapshots\n`,
      );
    });
}
