import type { Command } from "commander";
import { GLOBAL_TOPIC } from "../../core/ids.js";
import { withEngine } from "../engine.js";
import { globals } from "../globals.js";
import { counted, printJson } from "../output.js";

/** `repute rank USER [TOPIC]`: where a user stands in a topic. */
export function register(program: Command): void {
  program
    .command("rank")
    .description("a user's rank in a topic")
    .argument("<user>", "user id")
    .argument("[topic]", "topic", GLOBAL_TOPIC)
    .option("--json", "print JSON")
    .action(async (user: string, topic: string, _opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const r = await withEngine(g, (repute) => repute.rank(user, topic));
      if (g.json) return printJson(r);
      process.stdout.write(
        r.rank === null
          ? `${user} has no points in ${topic} (${counted(r.of, "user")} ranked)\n`
          : `${user} is #${r.rank} of ${r.of} in ${topic} with ${counted(r.points, "point")} (${r.level})\n`,
      );
    });
}
