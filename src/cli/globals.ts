import type { Command } from "commander";
import { type CliOptions, parseCliOptions } from "./cli-options.js";

/** The parsed global options of a command (flags, then environment). */
export function globals(cmd: Command): CliOptions {
  return parseCliOptions(cmd.optsWithGlobals(), process.env);
}

/**
 * Parses an integer flag or argument: decimal digits with an optional minus sign, else
 * NaN (so `1e3`, `0x10` and a blank value are refused); its range is checked where it
 * is used.
 */
export function integer(value: string): number {
  return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
}
