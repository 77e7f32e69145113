import { z } from "zod";

// Control characters (C0, DEL and C1) are refused in every id: they would only ever be
// garbage, and the engine joins ids with control characters into map and award keys.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const printable = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const printableMessage = "must not contain control characters";
// A lone surrogate is not text: databases store it as U+FFFD, so two such ids would be one.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string) => !loneSurrogate.test(s);
const wellFormedMessage = "must be well-formed Unicode (no lone surrogates)";

/** The type error of a string field: "required" when it is missing, else what it must be. */
export const stringField = { error: (issue: { input?: unknown }) => (issue.input === undefined ? "required" : "must be a string") };

/** An id or a type name: 1–`max` characters (UTF-16 code units), printable and well-formed. */
export function nameSchema(max: number) {
  return z
    .string(stringField)
    .min(1, "must not be empty")
    .max(max, `at most ${max} characters`)
    .regex(printable, printableMessage)
    .refine(wellFormed, wellFormedMessage);
}

/** A user id: an opaque string from the host application. */
export const userIdSchema = nameSchema(255);

/** An action id, the idempotency key (docs/actions.md). */
export const actionIdSchema = nameSchema(255);

/** A topic id: 1–100 characters, no whitespace and no `/` (it appears in URLs). */
export const topicIdSchema = z
  .string(stringField)
  .min(1, "must not be empty")
  .max(100, "at most 100 characters")
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .regex(/^[^\s/\u0000-\u001f\u007f-\u009f]+$/, "must not contain whitespace, control characters or '/'")
  .refine(wellFormed, wellFormedMessage);

/** The implicit root of every topic tree; actions without a topic are recorded here. */
export const GLOBAL_TOPIC = "global";

/** The target type of a user (an adjustment's target); allowed whatever `targetTypes` says. */
export const USER_TARGET = "user";
