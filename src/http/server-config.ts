import { z } from "zod";
import { ReputeError } from "../core/errors.js";
import { plainParse } from "../core/plain-errors.js";
import { formatPath } from "../core/validate.js";
import { fromDigits } from "../core/whole-number.js";

// Decimal digits only (see `wholeNumber`): a blank value, `1e3`, `0x10` or `+5` is NaN, refused.
const whole = (min: number, max: number) =>
  fromDigits(z.number("must be a whole number").int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const onOff = z.enum(["on", "off"], "must be on or off");
const bool = z.union([z.boolean(), z.enum(["true", "false", "1", "0"], "must be true or false").transform((v) => v === "true" || v === "1")]);
const origin = z.union([z.literal("*"), z.url({ protocol: /^https?$/, error: "must be an origin such as https://app.example.com, or *" }).transform((u) => new URL(u).origin)]);
const origins = z
  .string()
  .transform((s) => s.split(",").map((o) => o.trim()).filter((o) => o !== ""))
  .pipe(z.array(origin));

/** The HTTP server's settings: one schema, parsed once at the entry point (`repute serve`), then frozen. */
const serverConfigSchema = z.strictObject({
  /** A SQLite file or a postgres:// URL. */
  db: z.string().min(1).default("./repute.db"),
  /** A configuration file (JSON); default ./repute.config.json when it exists, else the database's own. */
  config: z.string().min(1).optional(),
  port: whole(0, 65535).default(4000),
  host: z.string().min(1).default("0.0.0.0"),
  /** Let callers without a key use the read routes. */
  publicReads: bool.default(false),
  /** Requests per minute per API key (per address for anonymous callers); 0 turns the limit off. */
  rateLimit: whole(0, 1_000_000_000).default(6000),
  /** Origins allowed by CORS; none by default, `*` for any. */
  corsOrigins: origins.default([]),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "must be one of fatal, error, warn, info, debug, trace, silent").default("info"),
  /** `off`: one transaction per request (for measurement). */
  groupCommit: onOff.default("on"),
  /** Units (requests) per transaction at most. */
  groupCommitMax: whole(1, 100_000).default(512),
  /** How long to gather requests before committing; 0 = until the event loop turns. */
  groupCommitWindowMs: whole(0, 10_000).default(0),
  /** How long a client may take to send a whole request (headers and body); 0: no limit. */
  requestTimeoutMs: whole(0, 3_600_000).default(30_000),
  /** How long a graceful stop waits for requests in flight before it ends their connections. */
  shutdownTimeoutMs: whole(1, 3_600_000).default(10_000),
  /** Actions that may wait for a transaction; past it a request is refused with 503 and Retry-After. */
  groupCommitMaxPending: whole(1000, 10_000_000).default(50_000),
  /**
   * SQLite: `full` (default for the service) fsyncs every commit, so an answered request
   * survives a power cut — group commit makes that one fsync per group; `normal` fsyncs
   * at checkpoints only (a process crash still loses nothing committed).
   */
  durability: z.enum(["full", "normal"], "must be full or normal").default("full"),
  /**
   * Check every response against its documented schema before sending it (a mismatch
   * is a 500). The tests run with it; off by default, because responses are built from
   * typed engine values and the check costs about 10 µs a request.
   */
  checkResponses: bool.default(false),
});

/** The parsed, frozen server settings. */
export type ServerConfig = Readonly<z.output<typeof serverConfigSchema>>;

/** Each setting's environment variable and flag, for help and error messages. */
export const serverSettings: Record<keyof ServerConfig, { env: string; flag: string }> = {
  db: { env: "REPUTE_DB", flag: "--db" },
  config: { env: "REPUTE_CONFIG", flag: "--config" },
  port: { env: "PORT", flag: "--port" },
  host: { env: "HOST", flag: "--host" },
  publicReads: { env: "REPUTE_PUBLIC_READS", flag: "--public-reads" },
  rateLimit: { env: "REPUTE_RATE_LIMIT", flag: "--rate-limit" },
  corsOrigins: { env: "REPUTE_CORS_ORIGINS", flag: "--cors-origins" },
  logLevel: { env: "LOG_LEVEL", flag: "--log-level" },
  groupCommit: { env: "REPUTE_GROUP_COMMIT", flag: "--group-commit" },
  groupCommitMax: { env: "REPUTE_GROUP_COMMIT_MAX", flag: "--group-commit-max" },
  groupCommitWindowMs: { env: "REPUTE_GROUP_COMMIT_WINDOW_MS", flag: "--group-commit-window-ms" },
  groupCommitMaxPending: { env: "REPUTE_GROUP_COMMIT_MAX_PENDING", flag: "--group-commit-max-pending" },
  requestTimeoutMs: { env: "REPUTE_REQUEST_TIMEOUT_MS", flag: "--request-timeout-ms" },
  shutdownTimeoutMs: { env: "REPUTE_SHUTDOWN_TIMEOUT_MS", flag: "--shutdown-timeout-ms" },
  durability: { env: "REPUTE_DURABILITY", flag: "--durability" },
  checkResponses: { env: "REPUTE_CHECK_RESPONSES", flag: "--check-responses" },
};

/** Flags as commander parses them: strings, and `true` for a switch. */
export type ServerFlags = Partial<Record<keyof ServerConfig, string | boolean | undefined>>;

/**
 * Parses the server settings once: each flag wins over its environment variable,
 * which wins over the default; an empty variable means unset. Throws CONFIG_INVALID
 * naming the variable and flag of every setting that does not validate.
 *
 * @example
 * const config = parseServerConfig({ port: "8080" }, process.env);
 * config.port // 8080
 */
export function parseServerConfig(flags: ServerFlags, env: NodeJS.ProcessEnv): ServerConfig {
  const input: Record<string, unknown> = {};
  for (const [key, { env: name }] of Object.entries(serverSettings)) {
    const flag = flags[key as keyof ServerConfig];
    const fromEnv = env[name] === "" ? undefined : env[name];
    const value = flag ?? fromEnv;
    if (value !== undefined) input[key] = value;
  }
  const parsed = serverConfigSchema.safeParse(input, plainParse);
  if (parsed.success) return Object.freeze({ ...parsed.data, corsOrigins: Object.freeze([...parsed.data.corsOrigins]) as string[] });
  const issues = parsed.error.issues.map((issue) => {
    const key = issue.path[0] as keyof ServerConfig | undefined;
    const setting = key === undefined ? undefined : serverSettings[key];
    return { path: setting === undefined ? formatPath(issue.path) : `${setting.env} (${setting.flag})`, message: issue.message };
  });
  throw new ReputeError("CONFIG_INVALID", `invalid server settings: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, { issues });
}
