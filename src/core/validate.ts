import type { z } from "zod";
import { type ErrorCode, ReputeError, type ValidationIssue } from "./errors.js";
import { plainParse } from "./plain-errors.js";

/** Formats a zod issue path as `actions[3].target.author`. */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(root)" : out;
}

/** Turns zod issues into the `details.issues` list of a validation error. */
export function toIssues(error: z.ZodError, prefix = ""): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path, prefix), message: issue.message }));
}

/**
 * Parses `input` with `schema`, throwing a ReputeError that names every failing
 * field path. `what` starts the message ("action", "config", …).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: ErrorCode = "VALIDATION_FAILED",
  prefix = "",
): z.output<S> {
  const parsed = schema.safeParse(input, plainParse);
  if (parsed.success) return parsed.data;
  const issues = toIssues(parsed.error, prefix);
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  throw new ReputeError(code, `invalid ${what}: ${first?.path}: ${first?.message}${more}`, { issues });
}
