import { z } from "zod";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { topicSchema } from "../schemas/topic-schema.js";

/** The answer of `GET /v1/topics`. */
export const getTopicsResponse = z.object({ topics: z.array(topicSchema).describe("Parents before children; global, the implicit root, is not listed.") });

/** The answer of `GET /v1/topics`, as a type. */
export type GetTopicsResponse = z.output<typeof getTopicsResponse>;

/** `GET /v1/topics` (role read): the topic tree. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.get(
    "/v1/topics",
    { config: { auth: "read" }, schema: { tags: ["topics"], summary: "The topic tree", response: { 200: getTopicsResponse } } },
    async () => ({ topics: await repute.topics() }),
  );
}
