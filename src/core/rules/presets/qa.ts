import type { ReputeConfigInput } from "../repute-config.js";

/**
 * Q&A (Stack Exchange style): one global total, tags as topics created on first
 * use. Post a question +5, an answer +10; upvote voter +2 / author +10 (at most 200
 * a day from votes); downvote voter −1 / author −2; deleting a question −5, an
 * answer −10, and a deletion takes back what the votes on the post gave.
 * Voting on your own post earns nothing; one standing vote per voter per post (an
 * upvote or a downvote: to change it, revert the standing one first).
 */
export const qaPreset = {
  actionTypes: ["post", "edit", "delete", "view", "upvote", "downvote", "bookmark", "search"],
  targetTypes: ["question", "answer"],
  rules: [
    { id: "qa.post.question", action: "post", target: "question", author: 5, self: "once", description: "question posted" },
    { id: "qa.post.answer", action: "post", target: "answer", author: 10, self: "once", description: "answer posted" },
    { id: "qa.upvote", action: "upvote", actor: 2, author: 10, self: "ignore", once: "target", onceGroup: "qa.vote", cap: "votes", description: "upvote" },
    { id: "qa.downvote", action: "downvote", actor: -1, author: -2, self: "ignore", once: "target", onceGroup: "qa.vote", description: "downvote" },
    {
      id: "qa.delete.question",
      action: "delete",
      target: "question",
      author: -5,
      self: "once",
      revertsOnTarget: ["upvote", "downvote"],
      description: "question deleted",
    },
    {
      id: "qa.delete.answer",
      action: "delete",
      target: "answer",
      author: -10,
      self: "once",
      revertsOnTarget: ["upvote", "downvote"],
      description: "answer deleted",
    },
  ],
  caps: { votes: { limit: 200, period: "day" } },
  floor: null,
  topics: { global: true, rollup: [1], autoCreate: true, tree: [] },
  levels: {
    // Stack Exchange's privilege thresholds, as a ladder.
    default: [
      { name: "New", min: 0 },
      { name: "Voter", min: 15 },
      { name: "Commenter", min: 50 },
      { name: "Critic", min: 125 },
      { name: "Established", min: 1000 },
      { name: "Editor", min: 2000 },
      { name: "Closer", min: 3000 },
      { name: "Moderator", min: 10000 },
      { name: "Trusted", min: 20000 },
    ],
    topics: {},
  },
  publication: { schedule: "immediate" },
} satisfies ReputeConfigInput;
