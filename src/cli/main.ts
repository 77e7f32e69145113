#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { isReputeError } from "../core/errors.js";
import { register as action } from "./commands/action.js";
import { register as adjust } from "./commands/adjust.js";
import { register as demo } from "./commands/demo.js";
import { register as history } from "./commands/history.js";
import { register as init } from "./commands/init.js";
import { register as keys } from "./commands/keys.js";
import { register as leaderboard } from "./commands/leaderboard.js";
import { register as rank } from "./commands/rank.js";
import { register as rebuild } from "./commands/rebuild.js";
import { register as show } from "./commands/show.js";
import { register as serve } from "./commands/serve.js";
import { register as submit } from "./commands/submit.js";
import { register as topics } from "./commands/topics.js";
import { register as verify } from "./commands/verify.js";

// A reader that stops early (`repute history 7 | head`) closes the pipe: the rest of the output has
// nowhere to go, which is not an error of the command, so it finishes quietly instead of crashing.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
});

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command()
  .name("repute")
  .description("Repute: a reputation engine for community software")
  .version(pkg.version)
  .option("--db <path>", "database: a SQLite file or a postgres:// URL (env REPUTE_DB)", undefined)
  .option("--config <path>", "config file (env REPUTE_CONFIG; default ./repute.config.json when it exists)")
  .showHelpAfterError()
  .exitOverride();

for (const register of [init, serve, submit, adjust, show, history, leaderboard, rank, action, topics, keys, rebuild, verify, demo]) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = exitCodeOf(e);
}

/** Prints one clear line for an error and returns the exit code: 1 for errors, 2 for usage. */
function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) {
    // Commander printed its message already; help and version exit 0.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (isReputeError(e)) {
    process.stderr.write(`repute: ${e.code}: ${e.message}\n`);
    if (process.env.REPUTE_DEBUG && e.cause !== undefined) console.error(e.cause);
    return 1;
  }
  process.stderr.write(`repute: internal error: ${(e as Error).message ?? String(e)}\n`);
  if (process.env.REPUTE_DEBUG) console.error(e);
  return 1;
}
