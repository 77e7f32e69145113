import type { Command } from "commander";
import type { FastifyBaseLogger } from "fastify";
import type { ReputeConfigInput } from "../../core/rules/repute-config.js";
import { type ServerFlags, parseServerConfig } from "../../http/server-config.js";
import { startServer } from "../../http/server.js";
import { openRepute } from "../../open-repute.js";
import { readConfigFile } from "../cli-options.js";

/**
 * `repute serve`: the HTTP API on the database (`npm start`). Settings come from flags,
 * then environment variables (docs/http.md); invalid ones print one line and exit 1.
 * SIGTERM or SIGINT stops it gracefully — no new connections, in-flight requests and
 * their transactions finish, the database closes, exit 0; a second signal exits 1 at once.
 */
export function register(program: Command): void {
  program
    .command("serve")
    .description("serve the HTTP API (see docs/http.md; `npm start` runs this)")
    .option("--port <port>", "port to listen on; 0 picks a free one (env PORT; default 4000)")
    .option("--host <host>", "address to listen on (env HOST; default 0.0.0.0)")
    .option("--public-reads", "let callers without an API key use the read routes (env REPUTE_PUBLIC_READS)")
    .option("--rate-limit <n>", "requests per minute per key (per address without one); 0 turns it off (env REPUTE_RATE_LIMIT; default 6000)")
    .option("--cors-origins <origins>", "comma-separated origins CORS allows, or * (env REPUTE_CORS_ORIGINS; default none)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (env LOG_LEVEL; default info)")
    .option("--group-commit <on|off>", "gather concurrent requests into one transaction (env REPUTE_GROUP_COMMIT; default on)")
    .option("--group-commit-max <n>", "requests per transaction at most (env REPUTE_GROUP_COMMIT_MAX; default 512)")
    .option("--group-commit-window-ms <ms>", "wait this long for more requests; 0 = until the event loop turns (env REPUTE_GROUP_COMMIT_WINDOW_MS; default 0)")
    .option("--group-commit-max-pending <n>", "actions that may wait for a transaction; past it a request gets 503 with Retry-After (env REPUTE_GROUP_COMMIT_MAX_PENDING; default 50000)")
    .option("--request-timeout-ms <ms>", "how long a client may take to send a whole request; 0: no limit (env REPUTE_REQUEST_TIMEOUT_MS; default 30000)")
    .option("--shutdown-timeout-ms <ms>", "how long a graceful stop waits for requests in flight (env REPUTE_SHUTDOWN_TIMEOUT_MS; default 10000)")
    .option("--check-responses", "check every response against its schema (env REPUTE_CHECK_RESPONSES; the tests do)")
    .option("--durability <full|normal>", "SQLite: full answers a write once it is on disk (survives a power cut); normal fsyncs at checkpoints (env REPUTE_DURABILITY; default full)")
    .action(async (_opts: unknown, cmd: Command) => {
      const config = parseServerConfig(cmd.optsWithGlobals<ServerFlags>(), process.env);
      const file = readConfigFile(config.config) as ReputeConfigInput | undefined;
      const repute = await openRepute({ db: config.db, durability: config.durability, ...(file === undefined ? {} : { config: file }) });
      let server;
      try {
        server = await startServer(repute, config);
      } catch (e) {
        await repute.close();
        throw e;
      }
      process.stdout.write(`repute listening on ${server.url}\n`);
      await firstSignal(server.app.log);
      await server.stop();
      await repute.close();
      server.app.log.info("stopped: every in-flight request answered, database closed");
    });
}

/** Resolves on the first SIGTERM or SIGINT; a second one exits 1 at once. */
function firstSignal(log: FastifyBaseLogger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        log.error({ signal }, "second signal: exiting without waiting");
        process.exit(1);
      }
      received = true;
      log.info({ signal }, "shutting down: no new connections; finishing in-flight requests");
      resolve(signal);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}
