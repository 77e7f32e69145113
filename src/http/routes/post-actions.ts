import { z } from "zod";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { actionSchema } from "../schemas/action-schema.js";
import { submitResultSchema } from "../schemas/submit-result-schema.js";

/** The most actions one request may carry. */
export const MAX_BATCH = 1000;

/** A batch: 1–1000 actions, one transaction, all or nothing. */
const BATCH_SIZE = `a batch holds 1 to ${MAX_BATCH} actions`;
export const actionBatchSchema = z.strictObject({ actions: z.array(actionSchema).min(1, BATCH_SIZE).max(MAX_BATCH, BATCH_SIZE) }).meta({ id: "ActionBatch" });
/** The body: one action, or `{ actions: [...] }`. */
export const postActionsBody = z.union([actionSchema, actionBatchSchema]);
/** The answer to a batch: one result per action, in order. */
export const postActionsBatchResponse = z.object({ results: z.array(submitResultSchema) });
/** The answer of `POST /v1/actions`. */
export const postActionsResponse = z.union([submitResultSchema, postActionsBatchResponse]);

/** The request body of `POST /v1/actions`, as sent. */
export type PostActionsBody = z.input<typeof postActionsBody>;
/** The answer of `POST /v1/actions`, as a type. */
export type PostActionsResponse = z.output<typeof postActionsResponse>;

/** The header that marks an answer made entirely of replays. */
export const REPLAY_HEADER = "repute-replay";

/**
 * `POST /v1/actions` (role app): one action, or a batch. The request's unit joins the
 * group committer's next transaction, so concurrent requests share one. 201 when
 * anything was applied; 200 with `Repute-Replay: true` when every action was a replay
 * (the original results, nothing written).
 */
export function register(app: AppInstance, { groupCommit, metrics }: RouteDeps): void {
  app.post(
    "/v1/actions",
    {
      config: { auth: "app" },
      schema: {
        tags: ["actions"],
        summary: "Submit one action, or a batch of up to 1000",
        description:
          "Idempotent by action id: the same id and content again answers the original result with `Repute-Replay: true` and writes nothing; the same id with other content is 409 ACTION_ID_CONFLICT. A batch is one transaction: all its actions are applied, or none.",
        body: postActionsBody,
        response: { 200: postActionsResponse, 201: postActionsResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const batch = "actions" in body;
      const outcome = await groupCommit.submit(batch ? body.actions : [body]);
      if (!outcome.ok) throw outcome.error;
      metrics.submitted(outcome.results);
      const replay = outcome.results.every((r) => r.replay);
      if (replay) reply.header(REPLAY_HEADER, "true");
      reply.code(replay ? 200 : 201);
      return batch ? { results: outcome.results } : (outcome.results[0] as z.output<typeof submitResultSchema>);
    },
  );
}
