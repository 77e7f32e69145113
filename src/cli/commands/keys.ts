import type { Command } from "commander";
import type { ApiKeyRecord, ApiKeyRole } from "../../store/api-key-record.js";
import { withEngine } from "../engine.js";
import { globals } from "../globals.js";
import { printJson, printTable } from "../output.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** A key's record with its times in ISO 8601, as every other read prints them. */
const view = (k: ApiKeyRecord) => ({ ...k, createdAt: iso(k.createdAt), revokedAt: iso(k.revokedAt) });

/** `repute keys create|list|revoke`: API keys for the HTTP service. */
export function register(program: Command): void {
  const keys = program.command("keys").description("API keys for the HTTP service (stored hashed; a key is shown once)");
  keys
    .command("create")
    .description("create a key and print it once")
    .requiredOption("--name <name>", "a name to revoke it by")
    .requiredOption("--role <role>", "read | app | admin")
    .option("--json", "print JSON")
    .action(async (opts: { name: string; role: string }, cmd: Command) => {
      const g = globals(cmd);
      const { key, record } = await withEngine(g, (r) => r.apiKeys.create({ name: opts.name, role: opts.role as ApiKeyRole }));
      if (g.json) return printJson({ key, ...view(record) });
      process.stdout.write(`${key}\n`);
      process.stderr.write(`created ${record.role} key "${record.name}"; it is shown only this once. Send it as: Authorization: Bearer <key>\n`);
    });
  keys
    .command("list")
    .description("every key: name, role, prefix, created, revoked")
    .option("--json", "print JSON")
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const list = await withEngine(g, (r) => r.apiKeys.list());
      if (g.json) return printJson(list.map(view));
      printTable(["name", "role", "prefix", "created", "revoked"], list.map((k) => [k.name, k.role, `${k.prefix}…`, iso(k.createdAt) ?? "-", iso(k.revokedAt) ?? "-"]), "no keys yet");
    });
  keys
    .command("revoke")
    .description("revoke the active key with this name")
    .argument("<name>", "key name")
    .option("--json", "print JSON")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withEngine(g, (r) => r.apiKeys.revoke(name));
      if (g.json) return printJson({ revoked: name });
      process.stdout.write(`revoked key "${name}"\n`);
    });
}
