import { z } from "zod";
import { pageLimitQuerySchema } from "../../page-limit.js";
import { topicIdSchema } from "../../core/ids.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";

/** The path parameters of `GET /v1/leaderboards/{topic}`. */
export const getLeaderboardParams = z.strictObject({ topic: topicIdSchema });
/** The query string of `GET /v1/leaderboards/{topic}`. */
export const getLeaderboardQuery = z.strictObject({
  limit: pageLimitQuerySchema("Rows per page, 1–100 (default 10)."),
  cursor: z.string().min(1).optional().describe("`nextCursor` of the previous page."),
  level: z.string().min(1).optional().describe("Only users at this level of the topic's ladder."),
});
/** The answer of `GET /v1/leaderboards/{topic}`. */
export const getLeaderboardResponse = z.object({
  topic: z.string(),
  entries: z.array(z.object({ rank: z.number().int().describe("Ties share a rank."), user: z.string(), points: z.number().int(), pending: z.number().int(), level: z.string() })),
  nextCursor: z.string().nullable(),
});

/** The query string of `GET /v1/leaderboards/{topic}`, as sent. */
export type GetLeaderboardQuery = z.input<typeof getLeaderboardQuery>;
/** The answer of `GET /v1/leaderboards/{topic}`, as a type. */
export type GetLeaderboardResponse = z.output<typeof getLeaderboardResponse>;

/** `GET /v1/leaderboards/{topic}` (role read): the top of a topic by published points. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.get(
    "/v1/leaderboards/:topic",
    {
      config: { auth: "read" },
      schema: {
        tags: ["leaderboards"],
        summary: "The top of a topic (global: everyone), optionally one level",
        params: getLeaderboardParams,
        querystring: getLeaderboardQuery,
        response: { 200: getLeaderboardResponse },
      },
    },
    async (request) => {
      const { limit, cursor, level } = request.query;
      return repute.leaderboard(request.params.topic, { ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }), ...(level === undefined ? {} : { level }) });
    },
  );
}
