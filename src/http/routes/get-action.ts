import { z } from "zod";
import { actionIdSchema } from "../../core/ids.js";
import { ReputeError } from "../../core/errors.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { targetViewSchema } from "../schemas/action-schema.js";
import { submitResultSchema } from "../schemas/submit-result-schema.js";

/** The path parameters of `GET /v1/actions/{id}`. */
export const getActionParams = z.strictObject({ id: actionIdSchema });
/** The answer of `GET /v1/actions/{id}`. */
export const getActionResponse = z.object({
  action: z.object({
    id: z.string(),
    type: z.string(),
    actor: z.string(),
    target: targetViewSchema.optional(),
    topic: z.string().optional(),
    at: z.string().describe("When it happened (as stored)."),
    data: z.record(z.string(), z.unknown()).optional(),
    reverts: z.string().optional(),
  }),
  revertedBy: z.string().nullable().describe("The revert that undid it, if any."),
  rulesVersion: z.number().int(),
  result: submitResultSchema.describe("What it applied when it was submitted."),
});

/** The path parameters of `GET /v1/actions/{id}`, as sent. */
export type GetActionParams = z.input<typeof getActionParams>;
/** The answer of `GET /v1/actions/{id}`, as a type. */
export type GetActionResponse = z.output<typeof getActionResponse>;

/** `GET /v1/actions/{id}` (role read): one logged action and what it applied; 404 ACTION_NOT_FOUND. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.get(
    "/v1/actions/:id",
    {
      config: { auth: "read" },
      schema: { tags: ["actions"], summary: "One logged action and what it applied", params: getActionParams, response: { 200: getActionResponse } },
    },
    async (request) => {
      const view = await repute.action(request.params.id);
      if (view === null) throw new ReputeError("ACTION_NOT_FOUND", `action "${request.params.id}" does not exist`, { action: request.params.id });
      return view;
    },
  );
}
