import { z } from "zod";
import { canonicalJson } from "./canonical-json.js";
import { ReputeError } from "./errors.js";
import { USER_TARGET, actionIdSchema, nameSchema, topicIdSchema, userIdSchema } from "./ids.js";

/** What an action is about; `author` owns it and receives author points. */
export const targetSchema = z.strictObject({
  type: nameSchema(64),
  id: nameSchema(255),
  author: userIdSchema.optional(),
});

/** The built-in action type that undoes an earlier action. */
export const REVERT = "revert";
/** The built-in action type for manual point changes. */
export const ADJUST = "adjust";

/** An action's time: ISO 8601 with a zone. */
export const atSchema = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-11-20T10:00:00Z" });

/** An adjustment's points: a whole number other than 0, at most a billion either way. */
export const adjustPointsSchema = z
  .number({ error: "must be a whole number" })
  .min(-1_000_000_000, "at least -1000000000")
  .max(1_000_000_000, "at most 1000000000")
  .int("must be a whole number")
  .refine((n) => n !== 0, "must not be 0");

/** An adjustment's reason: printable text (it is shown in history), 1–500 characters. */
export const adjustReasonSchema = nameSchema(500);

const adjustDataSchema = z.looseObject({ points: adjustPointsSchema, reason: adjustReasonSchema });

/** How deep an action's `data` may nest. */
export const MAX_DATA_DEPTH = 64;

/** A value JSON can hold, as a person names it when it cannot: "a Date", "undefined", "Infinity". */
function notJson(value: unknown): string | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : String(value);
    case "object": {
      if (value === null || Array.isArray(value)) return null;
      const proto = Object.getPrototypeOf(value) as object | null;
      return proto === Object.prototype || proto === null ? null : `a ${(proto.constructor as { name?: string } | undefined)?.name ?? "class instance"}`;
    }
    default:
      return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
  }
}

/**
 * What is wrong with one value of `data` at a depth (the `data` object is 0), or null;
 * its children are checked on their own. Too deep is named at the first key of its
 * path (`atTop`): the full path would be the 64 levels themselves.
 */
function dataProblem(v: unknown, depth: number): { message: string; atTop: boolean } | null {
  const wrong = notJson(v);
  if (wrong !== null) return { message: `must be JSON (text, a finite number, true, false, null, an array or an object), not ${wrong}`, atTop: false };
  if (typeof v !== "object" || v === null) return null;
  if (depth >= MAX_DATA_DEPTH) return { message: `nests deeper than ${MAX_DATA_DEPTH} levels (or holds itself)`, atTop: true };
  if (!Array.isArray(v) && Object.hasOwn(v, "__proto__")) return { message: 'has a key "__proto__", which Repute does not accept', atTop: false };
  return null;
}

/**
 * What zod's recursive JSON schema cannot check safely, checked first and without
 * recursion: nesting deeper than {@link MAX_DATA_DEPTH} (a deeper value would overflow the
 * stack; a cyclic one is infinitely deep), numbers JSON has not (`1e400` parses as
 * Infinity), values that are not JSON, and keys named `__proto__` (copying one sets an
 * object's prototype instead of keeping the key). Reports the first such value.
 */
function checkData(value: unknown, ctx: z.core.$RefinementCtx): unknown {
  const stack: Array<{ v: unknown; path: PropertyKey[] }> = [{ v: value, path: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { v, path } = next;
    const problem = dataProblem(v, path.length);
    if (problem !== null) {
      ctx.addIssue({ code: "custom", path: problem.atTop ? path.slice(0, 1) : path, message: problem.message, input: v });
      return value;
    }
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
    else if (typeof v === "object" && v !== null) for (const k of Object.keys(v).reverse()) stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
  }
  return value;
}

/**
 * An action as a host application reports it (docs/actions.md).
 *
 * @example
 * { id: "vote:42:answer:9", type: "upvote", actor: "42",
 *   target: { type: "answer", id: "9", author: "7" }, topic: "typescript" }
 */
export const actionInputSchema = z
  .strictObject({
    id: actionIdSchema,
    type: nameSchema(64),
    actor: userIdSchema,
    target: targetSchema.optional(),
    topic: topicIdSchema.optional(),
    at: atSchema.optional(),
    data: z.preprocess(checkData, z.record(z.string(), z.json())).optional(),
    reverts: actionIdSchema.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.type === REVERT) {
      if (a.reverts === undefined) ctx.addIssue({ code: "custom", path: ["reverts"], message: "a revert must name the action it reverts" });
    } else if (a.reverts !== undefined) {
      ctx.addIssue({ code: "custom", path: ["reverts"], message: `only "${REVERT}" actions name an action to revert` });
    }
    if (a.type === ADJUST) {
      if (a.target?.type !== USER_TARGET) {
        ctx.addIssue({ code: "custom", path: ["target"], message: 'an adjustment targets a user: { "type": "user", "id": … }' });
      }
      const data = adjustDataSchema.safeParse(a.data ?? {});
      if (!data.success) {
        for (const issue of data.error.issues) ctx.addIssue({ code: "custom", path: ["data", ...issue.path], message: issue.message });
      }
    }
  });

/** An action as submitted, before normalisation. */
export type ActionInput = z.input<typeof actionInputSchema>;
/** A target as submitted. */
export type Target = z.output<typeof targetSchema>;
/** JSON data attached to an action. */
export type ActionData = Record<string, z.core.util.JSONType>;

/** An action after validation: `at` is epoch milliseconds and always present. */
export interface Action {
  id: string;
  type: string;
  actor: string;
  target?: Target;
  topic?: string;
  at: number;
  data?: ActionData;
  reverts?: string;
}

/** How far in the future an action may be dated (clock skew between hosts). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Normalises a validated action: `at` defaults to `receivedAt`, and `canonical` is
 * the form idempotency compares (an omitted `at` stays omitted, so a retried
 * request without `at` is recognised as the same action).
 */
export function normalizeAction(input: z.output<typeof actionInputSchema>, receivedAt: number, path = ""): { action: Action; canonical: string } {
  const at = input.at === undefined ? receivedAt : Date.parse(input.at);
  if (at > receivedAt + MAX_FUTURE_SKEW_MS) {
    const field = path === "" ? "at" : `${path}.at`;
    throw new ReputeError("VALIDATION_FAILED", `invalid ${path === "" ? "action" : path}: ${field}: ${input.at} is in the future`, {
      issues: [{ path: field, message: "must not be more than 5 minutes in the future" }],
    });
  }
  const action: Action = { id: input.id, type: input.type, actor: input.actor, at };
  if (input.target !== undefined) action.target = input.target;
  if (input.topic !== undefined) action.topic = input.topic;
  if (input.data !== undefined) action.data = input.data;
  if (input.reverts !== undefined) action.reverts = input.reverts;
  return { action, canonical: canonicalAction(input, at) };
}

/**
 * The canonical JSON of an action as submitted — keys sorted, `at` normalised to UTC
 * and left out when it was omitted — built directly for the known shape (it is on
 * the hot path of every submit); `data` goes through the generic canonical form.
 */
function canonicalAction(input: z.output<typeof actionInputSchema>, at: number): string {
  const q = JSON.stringify;
  let out = `{"actor":${q(input.actor)}`;
  if (input.at !== undefined) out += `,"at":${q(new Date(at).toISOString())}`;
  if (input.data !== undefined) out += `,"data":${canonicalJson(input.data)}`;
  out += `,"id":${q(input.id)}`;
  if (input.reverts !== undefined) out += `,"reverts":${q(input.reverts)}`;
  const t = input.target;
  if (t !== undefined) out += `,"target":{${t.author === undefined ? "" : `"author":${q(t.author)},`}"id":${q(t.id)},"type":${q(t.type)}}`;
  if (input.topic !== undefined) out += `,"topic":${q(input.topic)}`;
  return `${out},"type":${q(input.type)}}`;
}

/** The points and reason of an `adjust` action (validated by the schema). */
export function adjustment(action: Action): { points: number; reason: string } {
  const data = action.data as { points: number; reason: string };
  return { points: data.points, reason: data.reason };
}
