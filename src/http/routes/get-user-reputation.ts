import { z } from "zod";
import { userIdSchema } from "../../core/ids.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { topicReputationSchema } from "../schemas/topic-reputation-schema.js";

/** The path parameters of `GET /v1/users/{id}/reputation`. */
export const getUserReputationParams = z.strictObject({ id: userIdSchema });
/** The answer of `GET /v1/users/{id}/reputation`. */
export const getUserReputationResponse = z.object({ user: z.string(), topics: z.array(topicReputationSchema) });

/** The path parameters of `GET /v1/users/{id}/reputation`, as sent. */
export type GetUserReputationParams = z.input<typeof getUserReputationParams>;
/** The answer of `GET /v1/users/{id}/reputation`, as a type. */
export type GetUserReputationResponse = z.output<typeof getUserReputationResponse>;

/** `GET /v1/users/{id}/reputation` (role read): every topic the user has points in; global first. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.get(
    "/v1/users/:id/reputation",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reputation"],
        summary: "A user's reputation in every topic",
        description: "Points, pending, peak, level, next level and progress per topic. A user Repute has never seen reads as 0 at the lowest level.",
        params: getUserReputationParams,
        response: { 200: getUserReputationResponse },
      },
    },
    async (request) => repute.reputation(request.params.id),
  );
}
