import { z } from "zod";

/** One applied ledger entry, with its reason. */
export const appliedEntrySchema = z.object({
  user: z.string(),
  topic: z.string(),
  delta: z.number().int(),
  kind: z.enum(["rule", "rollup", "global", "revert", "adjust"]),
  rule: z.string().nullable(),
  role: z.enum(["actor", "author", "self"]).nullable(),
  requested: z.number().int().nullable().describe("What the rule asked for, when a cap or the floor applied less."),
  reason: z.string(),
});

/** A snapshot before and after an action. */
export const snapshotChangeSchema = z.object({
  user: z.string(),
  topic: z.string(),
  before: z.object({ points: z.number().int(), pending: z.number().int() }),
  after: z.object({ points: z.number().int(), pending: z.number().int() }),
});

/** A (user, topic) that moved to another level. */
export const levelChangeSchema = z.object({ user: z.string(), topic: z.string(), from: z.string(), to: z.string() });

/** Points a rule would have given and withheld entirely, with why. */
export const withheldSchema = z.object({
  rule: z.string(),
  user: z.string(),
  role: z.enum(["actor", "author", "self"]),
  points: z.number().int().describe("What the rule would have given."),
  why: z
    .enum(["once", "self", "cap", "floor", "topic"])
    .describe(
      "once: an earlier action (holder) holds the once-award; self: the actor is the author and the rule ignores that; cap: the daily cap was already full; floor: the points would have gone below the floor; topic: the rule needs a topic and the action names none.",
    ),
  holder: z.string().nullable().describe("For once: the action that holds the award."),
  topic: z
    .string()
    .optional()
    .describe("For floor, when the award itself went through: the ancestor's or global's total the floor kept as it was (points is that copy)."),
  reason: z.string(),
});

/** The result of one submitted action (`SubmitResult`). */
export const submitResultSchema = z
  .object({
    action: z.string().describe("The action id."),
    replay: z.boolean().describe("True when the id was known: this is the original result and nothing was written."),
    entries: z.array(appliedEntrySchema),
    changes: z.array(snapshotChangeSchema),
    levels: z.array(levelChangeSchema),
    withheld: z.array(withheldSchema).describe("Points the action's rules withheld entirely, and why; partly capped or floored points are entries with `requested`."),
  })
  .meta({ id: "SubmitResult" });
