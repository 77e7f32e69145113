import { z } from "zod";
import { capSchema } from "../caps.js";
import { topicIdSchema } from "../ids.js";
import { ladderSchema } from "../ladder.js";
import { publicationSchema } from "../publication.js";
import { rollupSchema } from "../rollup.js";
import { topicInputSchema } from "../topic-tree.js";
import { parseOrThrow } from "../validate.js";
import { type Rule, ruleSchema, typeName } from "./rule.js";
import { ADJUST, REVERT } from "../action.js";
import { USER_TARGET } from "../ids.js";

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
    caps: z.record(typeName, capSchema).default({}),
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
  // The checks across fields run even when a field failed on its own, so one parse names
  // every failing path; each looks only at the parts that parsed.
  .superRefine(
    (c, ctx) => {
      // A rule that is not an object stays in the list (as undefined), so the others keep their index.
      const rules = (Array.isArray(c.rules) ? (c.rules as unknown[]) : []).map((r) => (typeof r === "object" && r !== null ? (r as Rule) : undefined));
      const actionTypes = Array.isArray(c.actionTypes) ? c.actionTypes : [];
      const caps = typeof c.caps === "object" && c.caps !== null ? c.caps : null;
      const targetTypes = Array.isArray(c.targetTypes) ? c.targetTypes : undefined;
      const ids = new Set<string>();
      const known = new Set([...actionTypes, ...rules.map((r) => r?.action)]);
      for (const builtin of [REVERT, ADJUST]) {
        if (known.has(builtin)) ctx.addIssue({ code: "custom", path: ["actionTypes"], message: `"${builtin}" is built in and cannot be configured` });
      }
      rules.forEach((rule, i) => {
        if (rule === undefined) return;
        if (typeof rule.id === "string") {
          if (ids.has(rule.id)) ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `duplicate rule id "${rule.id}"` });
          ids.add(rule.id);
        }
        if (typeof rule.cap === "string" && caps !== null && !Object.hasOwn(caps, rule.cap)) {
          ctx.addIssue({ code: "custom", path: ["rules", i, "cap"], message: `cap group "${rule.cap}" is not defined under caps` });
        }
        if (typeof rule.target === "string" && rule.target !== USER_TARGET && targetTypes !== undefined && !targetTypes.includes(rule.target)) {
          ctx.addIssue({ code: "custom", path: ["rules", i, "target"], message: `target type "${rule.target}" is not in targetTypes` });
        }
        for (const t of Array.isArray(rule.revertsOnTarget) ? rule.revertsOnTarget : []) {
          if (!known.has(t)) ctx.addIssue({ code: "custom", path: ["rules", i, "revertsOnTarget"], message: `unknown action type "${t}"` });
        }
        const group = rule.onceGroup;
        if (typeof group !== "string") return;
        if (rule.once === undefined) ctx.addIssue({ code: "custom", path: ["rules", i, "onceGroup"], message: "onceGroup needs once" });
        // A group named like a rule would share that rule's own awards by accident.
        if (rules.some((r) => r?.id === group)) ctx.addIssue({ code: "custom", path: ["rules", i, "onceGroup"], message: `"${group}" is a rule id` });
        const other = rules.find((r) => r?.onceGroup === group && r.once !== rule.once);
        if (other !== undefined && rule.once !== undefined) {
          ctx.addIssue({ code: "custom", path: ["rules", i, "onceGroup"], message: `rules of onceGroup "${group}" must award once per the same thing` });
        }
      });
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

/** A configuration as written (defaults optional), typed for library users. */
export type ReputeConfigInput = z.input<typeof reputeConfigSchema>;
/** A validated configuration with every default filled in. */
export type ReputeConfig = z.output<typeof reputeConfigSchema>;

/** Validates a configuration, throwing CONFIG_INVALID with every failing path. */
export function parseConfig(input: unknown): ReputeConfig {
  return parseOrThrow(reputeConfigSchema, input, "config", "CONFIG_INVALID");
}
