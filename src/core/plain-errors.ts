import type { z } from "zod";

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

/** What a value is, as a person names it: "an array", "null", "a number (7)". */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : `a number (${value})`;
  if (typeof value === "string") return value.length > 40 ? "a string" : `a string (${JSON.stringify(value)})`;
  if (typeof value === "boolean") return `${value}`;
  return article(typeof value);
}

const expectedNames: Record<string, string> = { record: "an object", object: "an object", array: "an array", boolean: "true or false" };

/**
 * The messages zod would phrase for its own types, phrased for the people who send
 * Repute actions, configs and queries: `must be an object, not an array`,
 * `unknown field "extra"`. Schemas' own messages ("required", "must be an ISO 8601
 * date-time") come first; this map only fills in where a schema has none. It is
 * passed to each parse, never installed globally, so a host application's own zod
 * messages stay as they are.
 */
export const plainErrors: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "required";
      return `must be ${expectedNames[issue.expected] ?? article(issue.expected)}, not ${kindOf(issue.input)}`;
    case "unrecognized_keys":
      return issue.keys.length === 1 ? `unknown field ${JSON.stringify(issue.keys[0])}` : `unknown fields ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    default:
      return undefined;
  }
};

/** The parse options that use {@link plainErrors}: `schema.safeParse(input, plainParse)`. */
export const plainParse = Object.freeze({ error: plainErrors });
