import { type CliOptions, DEFAULT_DB } from "./cli-options.js";

/** A word as a POSIX shell reads it: bare when that is safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * A `repute` command line to copy (the next page, what to explore next): on the same
 * database and configuration as the command that prints it, with the flags given
 * (those undefined left out). `words` are the command and its arguments; an argument
 * that starts with `-` (a user id "-ana") goes after `--`, so it is not read as a flag.
 */
export function reputeCommand(g: Pick<CliOptions, "db" | "config">, words: readonly string[], flags: Record<string, string | number | undefined> = {}): string {
  const parts = ["repute"];
  if (g.db !== DEFAULT_DB) parts.push("--db", g.db);
  if (g.config !== undefined) parts.push("--config", g.config);
  const [command, ...args] = words;
  const dashed = args.some((a) => a.startsWith("-"));
  if (command !== undefined) parts.push(command);
  if (!dashed) parts.push(...args);
  for (const [name, value] of Object.entries(flags)) if (value !== undefined) parts.push(`--${name}`, String(value));
  if (dashed) parts.push("--", ...args);
  return parts.map(shellWord).join(" ");
}
