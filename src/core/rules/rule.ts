import { z } from "zod";
import { GLOBAL_TOPIC, nameSchema } from "../ids.js";

const points = z.number().int("points are whole numbers").min(-1_000_000, "at least -1000000").max(1_000_000, "at most 1000000");

/** A rule id or once group: a letter or digit, then letters, digits and . _ : - (at most 100). */
const ruleName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "a letter or digit, then letters, digits and . _ : - only");

/** An action type, target type or cap group, as actions name them: printable, at most 64 characters. */
export const typeName = nameSchema(64);

/**
 * One rule: turns an action of a type (optionally only on one target type) into
 * points for the actor and/or the target's author.
 *
 * - `self`: what happens when actor and author are one person — `once` gives the
 *   author amount (or, when the rule has none, the actor amount) a single time;
 *   `ignore` gives nothing.
 * - `once`: at most one standing award per actor × target (or actor × topic);
 *   reverting the awarding action frees it. Rules with the same `onceGroup` share
 *   that one award (an upvote and a downvote: one standing vote per voter and post);
 *   by default each rule is its own group.
 * - `cap`: the cap group whose daily limit the positive points count against.
 * - `requiresTopic`: the rule gives nothing to actions without a topic (or with only
 *   `global`), and a deletion it describes takes nothing back from the target.
 * - `revertsOnTarget`: action types on the same target whose points this action
 *   takes back (a deleted post loses what its votes gave, as on Stack Exchange).
 *
 * @example
 * { "id": "qa.upvote", "action": "upvote", "actor": 2, "author": 10,
 *   "self": "ignore", "once": "target", "cap": "votes" }
 */
export const ruleSchema = z.strictObject({
  id: ruleName,
  action: typeName,
  target: typeName.optional(),
  actor: points.optional(),
  author: points.optional(),
  self: z.enum(["once", "ignore"]).default("once"),
  once: z.enum(["target", "topic"]).optional(),
  onceGroup: ruleName.optional(),
  cap: typeName.optional(),
  requiresTopic: z.boolean().default(false),
  revertsOnTarget: z.array(typeName).optional(),
  description: nameSchema(200).optional(),
});

/** A rule as written in a config file. */
export type RuleInput = z.input<typeof ruleSchema>;
/** A validated rule, defaults filled in. */
export type Rule = z.output<typeof ruleSchema>;

/** The role a point change was given in. `self` is actor = author under `self: "once"`. */
export type Role = "actor" | "author" | "self";

/** Who a rule pays for an action, after the self policy. */
export interface Payee {
  user: string;
  role: Role;
  points: number;
}

/**
 * The users a rule pays for an action and how much (before caps, floor and rollup).
 * Returns [] when the self policy says nothing is due.
 */
export function payees(rule: Rule, actor: string, author: string | undefined): Payee[] {
  if (author !== undefined && author === actor) return rule.self === "ignore" ? [] : selfPayee(rule, actor);
  const actorPoints = rule.actor ?? 0;
  const authorPoints = rule.author ?? 0;
  const out: Payee[] = [];
  if (actorPoints !== 0) out.push({ user: actor, role: "actor", points: actorPoints });
  if (authorPoints !== 0 && author !== undefined) out.push({ user: author, role: "author", points: authorPoints });
  return out;
}

/**
 * Whether a rule gives nothing to an action for want of a topic: it has
 * `requiresTopic` and the action names none, or names only `global`, the root
 * every action is recorded in anyway.
 */
export function lacksTopic(rule: Rule, topic: string | undefined): boolean {
  return rule.requiresTopic && (topic === undefined || topic === GLOBAL_TOPIC);
}

/** What `self: "ignore"` keeps from an actor acting on their own target ([] when the rule pays them, or pays nothing). */
export function ignoredSelf(rule: Rule, actor: string, author: string | undefined): Payee[] {
  return author === actor && rule.self === "ignore" ? selfPayee(rule, actor) : [];
}

/** One person as both actor and author: the author amount once, or the actor amount when the rule has none for authors. */
function selfPayee(rule: Rule, user: string): Payee[] {
  const authorPoints = rule.author ?? 0;
  const points = authorPoints !== 0 ? authorPoints : (rule.actor ?? 0);
  return points === 0 ? [] : [{ user, role: "self", points }];
}
