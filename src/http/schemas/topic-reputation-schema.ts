import { z } from "zod";

/** A user's reputation in one topic (`TopicReputation`). */
export const topicReputationSchema = z
  .object({
    topic: z.string(),
    points: z.number().int().describe("Published points."),
    pending: z.number().int().describe("Earned since the latest publication boundary (0 with immediate publication)."),
    peak: z.number().int(),
    level: z.string(),
    next: z.object({ name: z.string(), min: z.number().int() }).nullable().describe("The next level, or null at the top."),
    progress: z.number().min(0).max(1).describe("0–1 through the current level towards the next."),
    entries: z.number().int(),
    lastAt: z.string().nullable(),
  })
  .meta({ id: "TopicReputation" });
