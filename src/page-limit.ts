import { z } from "zod";
import { fromDigits } from "./core/whole-number.js";

/** The most rows one page of a read (history, a leaderboard) returns. */
export const PAGE_LIMIT_MAX = 100;

const MESSAGE = `must be a whole number from 1 to ${PAGE_LIMIT_MAX}`;

/** The `limit` of a paged read, as the library takes it: one message for every way it can be wrong (NaN, 1.5, 0, 101). */
export const pageLimitSchema = z.number(MESSAGE).int(MESSAGE).min(1, MESSAGE).max(PAGE_LIMIT_MAX, MESSAGE);

/**
 * The same `limit` as a query string sends it ("20"): decimal digits only, with the
 * same message for anything else ("abc", "1e1", "0x10", " 5").
 */
export function pageLimitQuerySchema(description: string) {
  return fromDigits(pageLimitSchema).optional().describe(description);
}
