import type { Command } from "commander";
import { withEngine } from "../engine.js";
import { globals } from "../globals.js";
import { printJson, printTable } from "../output.js";

/** `repute topics list` and `repute topics add ID [--parent P]`. */
export function register(program: Command): void {
  const topics = program.command("topics").description("the topic tree");
  topics
    .command("list")
    .description("every topic with its parent and depth")
    .option("--json", "print JSON")
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const list = await withEngine(g, (r) => r.topics());
      if (g.json) return printJson(list);
      printTable(["topic", "parent", "depth"], list.map((t) => [`${"  ".repeat(Math.max(0, t.depth - 1))}${t.id}`, t.parent ?? "-", t.depth]), "no topics yet");
    });
  topics
    .command("add")
    .description("add a topic (under global unless --parent)")
    .argument("<id>", "topic id")
    .option("--parent <parent>", "parent topic")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { parent?: string }, cmd: Command) => {
      const g = globals(cmd);
      const created = await withEngine(g, (r) => r.addTopics({ id, ...(opts.parent === undefined ? {} : { parent: opts.parent }) }));
      if (g.json) return printJson(created);
      process.stdout.write(created.length === 0 ? `topic ${id} already exists\n` : `added topic ${id} under ${created[0]?.parent}\n`);
    });
}
