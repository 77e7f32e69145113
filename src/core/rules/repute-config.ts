import { z } from "zod";
import { capSchema } from "../caps.js";
import { topicIdSchema } from "../ids.js";
import { ladderSchema } from "../ladder.js";
import { publicationSchema } from "../publication.js";
import { rollupSchema } from "../rollup.js";
import { topicInputSchema } from "../topic-tree.js";
import { parseOrThrow } from "../validate.js";
import { ruleSchema } from "./rule.js";
import { ADJUST, REVERT } from "../action.js";

const typeName = z.string().min(1).max(64);

/**
 * The whole configuration of an engine: rules, caps, floor, topics, levels and
 * publication. It is data (a JSON file or an object); `docs/config.md` documents
 * every field.
 */
export const reputeConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** Action types that are logged but named by no rule (view, search, …). */
    actionTypes: z.array(typeName).default([]),
    /** When given, every action target must be one of these types. */
    targetTypes: z.array(typeName).optional(),
    rules: z.array(ruleSchema).default([]),
    caps: z.record(z.string().min(1).max(64), capSchema).default({}),
    /** No rule takes a (user, topic) total below this; null for none. */
    floor: z.number().int().nullable().default(null),
    topics: z
      .strictObject({
        global: z.boolean().default(true),
        rollup: rollupSchema.default([1]),
        autoCreate: z.boolean().default(false),
        tree: z.array(topicInputSchema).default([]),
      })
      .prefault({}),
    levels: z
      .strictObject({
        default: ladderSchema.default([{ name: "Member", min: 0 }]),
        topics: z.record(topicIdSchema, ladderSchema).default({}),
      })
      .prefault({}),
    publication: publicationSchema.default({ schedule: "immediate" }),
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    const known = new Set([...c.actionTypes, ...c.rules.map((r) => r.action)]);
    for (const builtin of [REVERT, ADJUST]) {
      if (known.has(builtin)) ctx.addIssue({ code: "custom", path: ["actionTypes"], message: `"${builtin}" is built in and cannot be configured` });
    }
    c.rules.forEach((rule, i) => {
      if (ids.has(rule.id)) ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `duplicate rule id "${rule.id}"` });
      ids.add(rule.id);
      if (rule.cap !== undefined && c.caps[rule.cap] === undefined) {
        ctx.addIssue({ code: "custom", path: ["rules", i, "cap"], message: `cap group "${rule.cap}" is not defined under caps` });
      }
      if (rule.target !== undefined && c.targetTypes !== undefined && !c.targetTypes.includes(rule.target)) {
        ctx.addIssue({ code: "custom", path: ["rules", i, "target"], message: `target type "${rule.target}" is not in targetTypes` });
      }
      for (const t of rule.revertsOnTarget ?? []) {
        if (!known.has(t)) ctx.addIssue({ code: "custom", path: ["rules", i, "revertsOnTarget"], message: `unknown action type "${t}"` });
      }
      const group = rule.onceGroup;
      if (group === undefined) return;
      if (rule.once === undefined) ctx.addIssue({ code: "custom", path: ["rules", i, "onceGroup"], message: "onceGroup needs once" });
      // A group named like a rule would share that rule's own awards by accident.
      if (c.rules.some((r) => r.id === group)) ctx.addIssue({ code: "custom", path: ["rules", i, "onceGroup"], message: `"${group}" is a rule id` });
      const other = c.rules.find((r) => r.onceGroup === group && r.once !== rule.once);
      if (other !== undefined && rule.once !== undefined) {
        ctx.addIssue({ code: "custom", path: ["rules", i, "onceGroup"], message: `rules of onceGroup "${group}" must award once per the same thing` });
      }
    });
  });

/** A configuration as written (defaults optional), typed for library users. */
export type ReputeConfigInput = z.input<typeof reputeConfigSchema>;
/** A validated configuration with every default filled in. */
export type ReputeConfig = z.output<typeof reputeConfigSchema>;

/** Validates a configuration, throwing CONFIG_INVALID with every failing path. */
export function parseConfig(input: unknown): ReputeConfig {
  return parseOrThrow(reputeConfigSchema, input, "config", "CONFIG_INVALID");
}
