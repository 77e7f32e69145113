import type { ReputeConfigInput } from "../repute-config.js";

/**
 * Per-interest reputation: points live in topics only (no global total) and roll
 * up to parents at 1.0 / 0.5 / 0.25. Selecting an interest +5 once per interest;
 * a consumed invite +3 to the inviter in the interest the action names; a post +3
 * to its author; a reply +2 to the replier when the post has an interest; the first
 * reaction, bookmark and repost of a post by each other user +1 to its author.
 */
export const interestsPreset = {
  actionTypes: ["select_interest", "consume_invite", "post", "reply", "react", "bookmark", "repost"],
  targetTypes: ["post", "invite"],
  rules: [
    { id: "interests.select", action: "select_interest", actor: 5, once: "topic", requiresTopic: true, description: "interest selected" },
    { id: "interests.invite", action: "consume_invite", author: 3, self: "ignore", requiresTopic: true, description: "invite consumed" },
    { id: "interests.post", action: "post", author: 3, self: "once", description: "post created" },
    { id: "interests.reply", action: "reply", actor: 2, self: "once", requiresTopic: true, description: "reply" },
    { id: "interests.react", action: "react", target: "post", author: 1, self: "ignore", once: "target", description: "first reaction" },
    { id: "interests.bookmark", action: "bookmark", target: "post", author: 1, self: "ignore", once: "target", description: "first bookmark" },
    { id: "interests.repost", action: "repost", target: "post", author: 1, self: "ignore", once: "target", description: "first repost" },
  ],
  caps: {},
  floor: null,
  topics: { global: false, rollup: [1, 0.5, 0.25], autoCreate: false, tree: [] },
  levels: {
    default: [
      { name: "Curious", min: 0 },
      { name: "Reader", min: 10 },
      { name: "Practitioner", min: 30 },
      { name: "Adept", min: 50 },
      { name: "Master", min: 70 },
      { name: "Lifework", min: 90 },
    ],
    topics: {},
  },
  publication: { schedule: "immediate" },
} satisfies ReputeConfigInput;
