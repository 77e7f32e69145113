import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { ReputeError } from "../../core/errors.js";
import { isPresetName, presets } from "../../core/rules/presets/index.js";
import { parseConfig } from "../../core/rules/repute-config.js";
import { DEFAULT_CONFIG_PATH } from "../cli-options.js";
import { shellWord } from "../command-line.js";
import { counted } from "../output.js";

/** `repute init --preset qa|interests`: writes a complete, editable config file. */
export function register(program: Command): void {
  program
    .command("init")
    .description("write a config file from a preset (every rule, cap, topic and level spelled out)")
    .option("--preset <name>", `preset: ${Object.keys(presets).join(" | ")}`, "qa")
    .option("--out <path>", "where to write it", DEFAULT_CONFIG_PATH)
    .option("--force", "overwrite an existing file")
    .action((opts: { preset: string; out: string; force?: boolean }) => {
      if (!isPresetName(opts.preset)) {
        throw new ReputeError("CONFIG_INVALID", `unknown preset "${opts.preset}" (known: ${Object.keys(presets).join(", ")})`);
      }
      if (existsSync(opts.out) && opts.force !== true) {
        throw new ReputeError("CONFIG_INVALID", `${opts.out} already exists; pass --force to overwrite it`, { path: opts.out });
      }
      const config = parseConfig(presets[opts.preset]);
      try {
        writeFileSync(opts.out, `${JSON.stringify(config, null, 2)}\n`);
      } catch (e) {
        throw new ReputeError("CONFIG_INVALID", `cannot write config file ${opts.out}: ${(e as Error).message}`, { path: opts.out }, { cause: e });
      }
      process.stdout.write(
        `wrote ${opts.out} (preset ${opts.preset}: ${counted(config.rules.length, "rule")}, ${counted(Object.keys(config.caps).length, "cap group")}, ` +
          `${counted(config.levels.default.length, "level")}). ${
            resolve(opts.out) === resolve(DEFAULT_CONFIG_PATH) ? "Commands in this directory now use it." : `Commands use it with --config ${shellWord(opts.out)}.`
          }\n`,
      );
    });
}
