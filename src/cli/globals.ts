import type { Command } from "commander";
import { type CliOptions, parseCliOptions } from "./cli-options.js";

/** The parsed global options of a command (flags, then environment). */
export function globals(cmd: Command): CliOptions {
  return parseCliOptions(cmd.optsWithGlobals(), process.env);
}

/** Parses an integer flag; zod checks its range where it is used. */
export function integer(value: string): number {
  const n = Number(value);
  return Number.isInteger(n) ? n : Number.NaN;
}
