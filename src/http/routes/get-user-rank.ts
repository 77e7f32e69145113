import { z } from "zod";
import { topicIdSchema, userIdSchema } from "../../core/ids.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";

/** The path parameters of `GET /v1/users/{id}/rank/{topic}`. */
export const getUserRankParams = z.strictObject({ id: userIdSchema, topic: topicIdSchema });
/** The answer of `GET /v1/users/{id}/rank/{topic}`. */
export const getUserRankResponse = z.object({
  user: z.string(),
  topic: z.string(),
  rank: z.number().int().nullable().describe("1 + the number of users with more points; null when the user has no entries in the topic (a total of 0 is ranked)."),
  of: z.number().int().describe("How many users have a total in the topic."),
  points: z.number().int(),
  level: z.string(),
});

/** The path parameters of `GET /v1/users/{id}/rank/{topic}`, as sent. */
export type GetUserRankParams = z.input<typeof getUserRankParams>;
/** The answer of `GET /v1/users/{id}/rank/{topic}`, as a type. */
export type GetUserRankResponse = z.output<typeof getUserRankResponse>;

/** `GET /v1/users/{id}/rank/{topic}` (role read): where the user stands in a topic. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.get(
    "/v1/users/:id/rank/:topic",
    {
      config: { auth: "read" },
      schema: { tags: ["leaderboards"], summary: "A user's rank in a topic", params: getUserRankParams, response: { 200: getUserRankResponse } },
    },
    async (request) => repute.rank(request.params.id, request.params.topic),
  );
}
