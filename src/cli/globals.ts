import type { Command } from "commander";
import { wholeNumber } from "../core/whole-number.js";
import { type CliOptions, parseCliOptions } from "./cli-options.js";

/** The parsed global options of a command (flags, then environment). */
export function globals(cmd: Command): CliOptions {
  return parseCliOptions(cmd.optsWithGlobals(), process.env);
}

/** Parses an integer flag or argument (see `wholeNumber`: NaN unless decimal digits). */
export function integer(value: string): number {
  return wholeNumber(value);
}
