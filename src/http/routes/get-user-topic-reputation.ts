import { z } from "zod";
import { topicIdSchema, userIdSchema } from "../../core/ids.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { topicReputationSchema } from "../schemas/topic-reputation-schema.js";

/** The path parameters of `GET /v1/users/{id}/reputation/{topic}`. */
export const getUserTopicReputationParams = z.strictObject({ id: userIdSchema, topic: topicIdSchema });
/** The answer of `GET /v1/users/{id}/reputation/{topic}`. */
export const getUserTopicReputationResponse = topicReputationSchema.extend({ user: z.string() });

/** The path parameters of `GET /v1/users/{id}/reputation/{topic}`, as sent. */
export type GetUserTopicReputationParams = z.input<typeof getUserTopicReputationParams>;
/** The answer of `GET /v1/users/{id}/reputation/{topic}`, as a type. */
export type GetUserTopicReputationResponse = z.output<typeof getUserTopicReputationResponse>;

/** `GET /v1/users/{id}/reputation/{topic}` (role read): one topic, with level, next level and progress; 404 TOPIC_NOT_FOUND. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.get(
    "/v1/users/:id/reputation/:topic",
    {
      config: { auth: "read" },
      schema: {
        tags: ["reputation"],
        summary: "A user's reputation in one topic",
        params: getUserTopicReputationParams,
        response: { 200: getUserTopicReputationResponse },
      },
    },
    async (request) => {
      const { user, topics } = await repute.reputation(request.params.id, { topic: request.params.topic });
      return { user, ...(topics[0] as z.output<typeof topicReputationSchema>) };
    },
  );
}
