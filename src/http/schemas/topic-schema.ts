import { z } from "zod";

/** A topic of the tree. */
export const topicSchema = z
  .object({
    id: z.string(),
    parent: z.string().nullable().describe("null only for the implicit root, global."),
    depth: z.number().int().describe("global is 0, its children 1, …"),
  })
  .meta({ id: "Topic" });
