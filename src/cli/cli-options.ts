import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { ReputeError } from "../core/errors.js";
import { parseOrThrow } from "../core/validate.js";

/** Where the CLI looks for a configuration when `--config` is not given. */
export const DEFAULT_CONFIG_PATH = "./repute.config.json";
/** The database the CLI uses when `--db` is not given. */
export const DEFAULT_DB = "./repute.db";

/**
 * The CLI's global settings: flags first, then the environment (REPUTE_DB,
 * REPUTE_CONFIG), then defaults. Parsed once, frozen, passed inward.
 */
const cliOptionsSchema = z.strictObject({
  db: z.string().min(1).default(DEFAULT_DB),
  config: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

export type CliOptions = Readonly<z.output<typeof cliOptionsSchema>>;

export function parseCliOptions(flags: { db?: string | undefined; config?: string | undefined; json?: boolean | undefined }, env: NodeJS.ProcessEnv): CliOptions {
  // An empty variable means unset, as for most tools.
  const fromEnv = (name: string) => (env[name] === "" ? undefined : env[name]);
  return Object.freeze(
    parseOrThrow(
      cliOptionsSchema,
      {
        db: flags.db ?? fromEnv("REPUTE_DB"),
        config: flags.config ?? fromEnv("REPUTE_CONFIG"),
        json: flags.json,
      },
      "options",
    ),
  );
}

/**
 * The configuration file's contents: `--config PATH` must exist; without it,
 * ./repute.config.json is used when present, else undefined (the database's own).
 */
export function readConfigFile(path: string | undefined): unknown {
  const file = path ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ReputeError("CONFIG_INVALID", `cannot read config file ${file}: ${(e as Error).message}`, { path: file }, { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ReputeError("CONFIG_INVALID", `config file ${file} is not valid JSON: ${(e as Error).message}`, { path: file }, { cause: e });
  }
}
