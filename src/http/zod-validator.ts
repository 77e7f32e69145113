import type { FastifySchemaCompiler } from "fastify";
import type { z } from "zod";
import { ReputeError, type ValidationIssue } from "../core/errors.js";
import { plainParse } from "../core/plain-errors.js";
import { formatPath } from "../core/validate.js";

const partNames: Record<string, string> = { body: "body", querystring: "query", params: "path parameter", headers: "header" };

/**
 * Fastify's validator for the routes' zod schemas: the parsed value, or a
 * VALIDATION_FAILED error whose `details.issues` name each failing field as the
 * engine does (`target.author`, `actions[3].id`), relative to the body, query or path.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const parsed = schema.safeParse(data, plainParse);
    if (parsed.success) return { value: parsed.data };
    return { error: validationError(parsed.error.issues, partNames[httpPart ?? "body"] ?? "request") };
  };

/** A VALIDATION_FAILED error for zod issues, the message naming the first one. */
export function validationError(zodIssues: readonly z.core.$ZodIssue[], what: string): ReputeError {
  const issues = flatten(zodIssues, []);
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new ReputeError("VALIDATION_FAILED", `invalid ${what}: ${first?.path}: ${first?.message}${more}`, { issues });
}

/**
 * Zod reports a union no branch of which matched as one issue holding every branch's
 * issues. A caller wants the branch they meant: the one that came closest (fewest
 * issues; the first declared on a tie), with its own field paths.
 */
function flatten(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): ValidationIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
      return flatten(closest, path);
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}
