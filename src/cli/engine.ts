import type { ReputeConfigInput } from "../core/rules/repute-config.js";
import type { Repute } from "../repute.js";
import { openRepute } from "../open-repute.js";
import { type CliOptions, readConfigFile } from "./cli-options.js";

/** Opens the engine the CLI options name, runs `fn`, and always closes it. */
export async function withEngine<T>(options: CliOptions, fn: (repute: Repute) => Promise<T>): Promise<T> {
  const config = readConfigFile(options.config) as ReputeConfigInput | undefined;
  const repute = await openRepute({ db: options.db, ...(config === undefined ? {} : { config }) });
  try {
    return await fn(repute);
  } finally {
    await repute.close();
  }
}
