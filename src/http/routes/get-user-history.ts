import { z } from "zod";
import { pageLimitQuerySchema } from "../../page-limit.js";
import { topicIdSchema, userIdSchema } from "../../core/ids.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { targetViewSchema } from "../schemas/action-schema.js";
import { appliedEntrySchema } from "../schemas/submit-result-schema.js";

/** The path parameters of `GET /v1/users/{id}/history`. */
export const getUserHistoryParams = z.strictObject({ id: userIdSchema });
/** The query string of `GET /v1/users/{id}/history`. */
export const getUserHistoryQuery = z.strictObject({
  limit: pageLimitQuerySchema("Entries per page, 1–100 (default 20)."),
  cursor: z.string().min(1).optional().describe("`nextCursor` of the previous page."),
  topic: topicIdSchema.optional().describe("Only entries in this topic."),
});
/** The answer of `GET /v1/users/{id}/history`. */
export const getUserHistoryResponse = z.object({
  user: z.string(),
  entries: z.array(
    appliedEntrySchema.extend({
      id: z.number().int().describe("Ledger position."),
      at: z.string(),
      action: z.object({ id: z.string(), type: z.string(), actor: z.string(), target: targetViewSchema.nullable(), topic: z.string().nullable(), at: z.string() }),
    }),
  ),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
});

/** The query string of `GET /v1/users/{id}/history`, as sent. */
export type GetUserHistoryQuery = z.input<typeof getUserHistoryQuery>;
/** The answer of `GET /v1/users/{id}/history`, as a type. */
export type GetUserHistoryResponse = z.output<typeof getUserHistoryResponse>;

/** `GET /v1/users/{id}/history` (role read): ledger entries newest first, with reasons, cursor paginated. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.get(
    "/v1/users/:id/history",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reputation"],
        summary: "A user's ledger entries, newest first, with reasons",
        params: getUserHistoryParams,
        querystring: getUserHistoryQuery,
        response: { 200: getUserHistoryResponse },
      },
    },
    async (request) => {
      const { limit, cursor, topic } = request.query;
      return repute.history(request.params.id, { ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }), ...(topic === undefined ? {} : { topic }) });
    },
  );
}
