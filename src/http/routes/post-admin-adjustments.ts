import { z } from "zod";
import { adjustPointsSchema, adjustReasonSchema, atSchema } from "../../core/action.js";
import { actionIdSchema, topicIdSchema, userIdSchema } from "../../core/ids.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { submitResultSchema } from "../schemas/submit-result-schema.js";
import { REPLAY_HEADER } from "./post-actions.js";

/** The request body of `POST /v1/admin/adjustments`. */
export const postAdminAdjustmentsBody = z.strictObject({
  user: userIdSchema.describe("Whose points change."),
  points: adjustPointsSchema.describe("Points to add (negative: remove)."),
  reason: adjustReasonSchema.describe("Shown in the user's history."),
  topic: topicIdSchema.optional().describe("Default: global. Rolls up to the topic's ancestors like any award."),
  id: actionIdSchema.optional().describe("An idempotency key; default a new one, so a retry without it adjusts twice."),
  at: atSchema.optional(),
});
/** The answer of `POST /v1/admin/adjustments`. */
export const postAdminAdjustmentsResponse = submitResultSchema;

/** The request body of `POST /v1/admin/adjustments`, as sent. */
export type PostAdminAdjustmentsBody = z.input<typeof postAdminAdjustmentsBody>;
/** The answer of `POST /v1/admin/adjustments`, as a type. */
export type PostAdminAdjustmentsResponse = z.output<typeof postAdminAdjustmentsResponse>;

/**
 * `POST /v1/admin/adjustments` (role admin): a manual change with a required reason,
 * recorded in the ledger as an `adjust` action whose actor names the key that made
 * it (`key:<name>`). Neither capped nor floored.
 */
export function register(app: AppInstance, { repute, metrics }: RouteDeps): void {
  app.post(
    "/v1/admin/adjustments",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["admin"],
        summary: "Add or remove points by hand, with a reason",
        body: postAdminAdjustmentsBody,
        response: { 200: postAdminAdjustmentsResponse, 201: postAdminAdjustmentsResponse },
      },
    },
    async (request, reply) => {
      const by = `key:${request.apiKey?.name ?? "?"}`;
      const result = await repute.adjust({ ...request.body, by });
      metrics.submitted([result]);
      if (result.replay) reply.header(REPLAY_HEADER, "true");
      reply.code(result.replay ? 200 : 201);
      return result;
    },
  );
}
