import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ActionInput } from "../../src/core/action.js";

/**
 * The folder of a Stack Exchange data dump (Posts.xml, Votes.xml): the one in
 * `REPUTE_BENCH_STACKEXCHANGE`, else beer.stackexchange.com's beside the repository
 * (`../shared/data/stackexchange/beer`, present on the project's machines and CI, not
 * in a user's clone).
 */
const fromEnv = process.env.REPUTE_BENCH_STACKEXCHANGE || undefined; // empty means unset
export const stackExchangeDir = fromEnv ?? fileURLToPath(new URL("../../../shared/data/stackexchange/beer", import.meta.url));

/** Whether a dump is there to read. */
export function hasStackExchangeDump(dir = stackExchangeDir): boolean {
  return existsSync(join(dir, "Posts.xml")) && existsSync(join(dir, "Votes.xml"));
}

/** Why no dump can be read, said for where the folder came from; undefined when one can. */
export function missingDumpReason(): string | undefined {
  if (hasStackExchangeDump()) return undefined;
  return fromEnv !== undefined
    ? `REPUTE_BENCH_STACKEXCHANGE is ${stackExchangeDir}, which has no Posts.xml and Votes.xml`
    : `no Stack Exchange dump at ${stackExchangeDir} (set REPUTE_BENCH_STACKEXCHANGE to a dump's folder)`;
}

/** A community's history as qa actions, and what of the dump could not become one. */
export interface StackExchangeHistory {
  actions: ActionInput[];
  posts: number;
  upvotes: number;
  downvotes: number;
  /** Questions and answers without an owner (deleted accounts): no one to credit. */
  skippedPosts: number;
  /** Up- and downvotes on posts not in the dump (deleted) or without an owner. */
  skippedVotes: number;
}

/** The attributes of every `<row … />` of a dump file: one self-closing element per row. */
function rows(file: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const [, attrs] of readFileSync(file, "utf8").matchAll(/<row ([^>]*?)\s*\/>/g)) {
    const row: Record<string, string> = {};
    for (const [, k, v] of (attrs as string).matchAll(/(\w+)="([^"]*)"/g)) row[k as string] = v as string;
    out.push(row);
  }
  return out;
}

const QUESTION = "1";
const ANSWER = "2";
const UPVOTE = "2";
const DOWNVOTE = "3";

/**
 * A dump's questions, answers, upvotes and downvotes as actions of the qa preset, in
 * the order they happened (the dump's times are UTC; votes carry a day only). Each
 * action's topic is its question's first tag. The public dump leaves voters out, so a
 * vote's actor is a stand-in of its own, `voter:<vote id>`; everything else — posts,
 * their authors, tags, which posts got votes and on which days — is the community's.
 * Accepts, favourites, bounties and moderation votes have no qa action and are left out.
 */
export function stackExchangeHistory(dir = stackExchangeDir): StackExchangeHistory {
  const posts = rows(join(dir, "Posts.xml"));
  const byId = new Map(posts.map((p) => [p.Id as string, p]));
  const dated: Array<{ at: string; order: number; action: ActionInput }> = [];
  const firstTag = (question: Record<string, string> | undefined) => /^&lt;(.+?)&gt;/.exec(question?.Tags ?? "")?.[1];
  const authorOf = new Map<string, { type: "question" | "answer"; author: string; topic: string | undefined }>();
  let skippedPosts = 0;
  for (const p of posts) {
    if (p.PostTypeId !== QUESTION && p.PostTypeId !== ANSWER) continue;
    if (p.OwnerUserId === undefined) {
      skippedPosts++;
      continue;
    }
    const type = p.PostTypeId === QUESTION ? "question" : "answer";
    const topic = firstTag(type === "question" ? p : byId.get(p.ParentId ?? ""));
    const author = `u${p.OwnerUserId}`;
    authorOf.set(p.Id as string, { type, author, topic });
    const action: ActionInput = { id: `post:${p.Id}`, type: "post", actor: author, target: { type, id: p.Id as string, author }, at: `${p.CreationDate}Z` };
    if (topic !== undefined) action.topic = topic;
    dated.push({ at: p.CreationDate as string, order: Number(p.Id), action });
  }
  let upvotes = 0;
  let downvotes = 0;
  let skippedVotes = 0;
  for (const v of rows(join(dir, "Votes.xml"))) {
    if (v.VoteTypeId !== UPVOTE && v.VoteTypeId !== DOWNVOTE) continue;
    const post = authorOf.get(v.PostId ?? "");
    if (post === undefined) {
      skippedVotes++;
      continue;
    }
    if (v.VoteTypeId === UPVOTE) upvotes++;
    else downvotes++;
    const action: ActionInput = {
      id: `vote:${v.Id}`,
      type: v.VoteTypeId === UPVOTE ? "upvote" : "downvote",
      actor: `voter:${v.Id}`,
      target: { type: post.type, id: v.PostId as string, author: post.author },
      at: `${v.CreationDate}Z`,
    };
    if (post.topic !== undefined) action.topic = post.topic;
    dated.push({ at: v.CreationDate as string, order: 1e9 + Number(v.Id), action });
  }
  dated.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  return { actions: dated.map((d) => d.action), posts: authorOf.size, upvotes, downvotes, skippedPosts, skippedVotes };
}
