import { z } from "zod";
import { ReputeError } from "./core/errors.js";

/**
 * Opaque pagination cursors: base64url JSON that names the listing it belongs to,
 * so a cursor from one user's history is refused for another's.
 */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** Decodes a cursor, throwing CURSOR_INVALID when it is malformed or of another shape. */
export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new ReputeError("CURSOR_INVALID", "the cursor is malformed");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ReputeError("CURSOR_INVALID", "the cursor belongs to another listing");
  return parsed.data;
}

/** A history cursor: the ledger position to continue before, and whose history it is. */
export const historyCursorSchema = z.strictObject({ k: z.literal("h"), user: z.string(), topic: z.string().nullable(), before: z.number().int() });

/** A leaderboard cursor: the last row shown, and which board it is. */
export const boardCursorSchema = z.strictObject({
  k: z.literal("b"),
  topic: z.string(),
  level: z.string().nullable(),
  points: z.number().int(),
  user: z.string(),
});
