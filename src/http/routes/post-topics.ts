import { z } from "zod";
import { topicInputSchema } from "../../core/topic-tree.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { topicSchema } from "../schemas/topic-schema.js";

const topicInput = topicInputSchema.describe("A topic to add; `parent` defaults to global.");
/** The most topics one request may add. */
const MAX_TOPICS = 1000;
const TOPICS_SIZE = `a list holds 1 to ${MAX_TOPICS} topics`;
/** The request body of `POST /v1/topics`. */
export const postTopicsBody = z.union([topicInput, z.strictObject({ topics: z.array(topicInput).min(1, TOPICS_SIZE).max(MAX_TOPICS, TOPICS_SIZE).describe("Parents before children; all or nothing.") })]);
/** The answer of `POST /v1/topics`. */
export const postTopicsResponse = z.object({ created: z.array(topicSchema).describe("The topics created; those that existed under the same parent are left as they are.") });

/** The request body of `POST /v1/topics`, as sent. */
export type PostTopicsBody = z.input<typeof postTopicsBody>;
/** The answer of `POST /v1/topics`, as a type. */
export type PostTopicsResponse = z.output<typeof postTopicsResponse>;

/**
 * `POST /v1/topics` (role admin): adds one topic, or `{ topics: [...] }`. Adding a
 * topic that exists under the same parent changes nothing (200); 201 when one was
 * created; 409 TOPIC_CONFLICT under another parent; 404 TOPIC_NOT_FOUND for an unknown parent.
 */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.post(
    "/v1/topics",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["topics"],
        summary: "Add a topic, or several",
        body: postTopicsBody,
        response: { 200: postTopicsResponse, 201: postTopicsResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await repute.addTopics("topics" in body ? body.topics : body);
      reply.code(created.length > 0 ? 201 : 200);
      return { created };
    },
  );
}
