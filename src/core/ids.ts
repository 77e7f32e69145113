import { z } from "zod";

// Control characters are refused in every id: they would only ever be garbage, and
// the engine uses NUL to join ids into map keys.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const printable = /^[^\u0000-\u001f\u007f]*$/;
const printableMessage = "must not contain control characters";

/** The type error of a string field: "required" when it is missing, else what it must be. */
export const stringField = { error: (issue: { input?: unknown }) => (issue.input === undefined ? "required" : "must be a string") };

/** A user id: an opaque string from the host application. */
export const userIdSchema = z.string(stringField).min(1, "must not be empty").max(255, "at most 255 characters").regex(printable, printableMessage);

/** An action id, the idempotency key (DESIGN.md "Actions"). */
export const actionIdSchema = z.string(stringField).min(1, "must not be empty").max(255, "at most 255 characters").regex(printable, printableMessage);

/** A topic id: 1–100 characters, no whitespace and no `/` (it appears in URLs). */
export const topicIdSchema = z
  .string(stringField)
  .min(1, "must not be empty")
  .max(100, "at most 100 characters")
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .regex(/^[^\s/\u0000-\u001f\u007f]+$/, "must not contain whitespace, control characters or '/'");

/** The implicit root of every topic tree; actions without a topic are recorded here. */
export const GLOBAL_TOPIC = "global";
