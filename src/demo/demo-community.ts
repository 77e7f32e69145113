import type { ActionInput } from "../core/action.js";
import type { TopicInput } from "../core/topic-tree.js";
import { Random, Skewed } from "./random.js";

/** The demo's topic tree: three interests, each with sub-interests two levels deep. */
export const demoTopics: TopicInput[] = [
  { id: "beer" },
  { id: "ale", parent: "beer" },
  { id: "ipa", parent: "ale" },
  { id: "stout", parent: "ale" },
  { id: "sour", parent: "ale" },
  { id: "lager", parent: "beer" },
  { id: "pilsner", parent: "lager" },
  { id: "bock", parent: "lager" },
  { id: "wine" },
  { id: "red", parent: "wine" },
  { id: "cabernet", parent: "red" },
  { id: "pinot-noir", parent: "red" },
  { id: "white", parent: "wine" },
  { id: "riesling", parent: "white" },
  { id: "chardonnay", parent: "white" },
  { id: "sparkling", parent: "wine" },
  { id: "spirits" },
  { id: "whisky", parent: "spirits" },
  { id: "scotch", parent: "whisky" },
  { id: "bourbon", parent: "whisky" },
  { id: "gin", parent: "spirits" },
  { id: "rum", parent: "spirits" },
];

/** Size and shape of a simulated community. */
export interface DemoOptions {
  users: number;
  actions: number;
  seed: number;
  /** Epoch ms of the first action; actions spread evenly over `days`. */
  start: number;
  days: number;
}

interface Post {
  id: string;
  author: string;
  topic: string;
}

const DAY_MS = 86_400_000;

/**
 * A simulated community on the interests preset, in time order: users join and
 * select interests, invite friends, post, reply, react, bookmark and repost. A few
 * users are very active and most are not (Zipf-like), as in real communities.
 * The same options always give the same actions.
 */
export function* demoActions(o: DemoOptions): Generator<ActionInput> {
  const random = new Random(o.seed);
  const who = new Skewed(o.users, 1.05, random);
  const interests = new Map<number, string[]>();
  const posts: Post[] = [];
  const topicIds = demoTopics.map((t) => t.id);
  const step = (o.days * DAY_MS) / Math.max(1, o.actions);
  let emitted = 0;
  const at = () => new Date(o.start + Math.floor(emitted * step)).toISOString();
  const id = () => `demo:${emitted}`;

  while (emitted < o.actions) {
    const u = who.draw();
    const user = `u${u}`;
    let mine = interests.get(u);
    if (mine === undefined) {
      // A newcomer: selects one to three interests, perhaps through an invite.
      mine = [];
      interests.set(u, mine);
      const n = 1 + random.int(3);
      for (let i = 0; i < n && emitted < o.actions; i++) {
        const topic = random.pick(topicIds);
        if (!mine.includes(topic)) mine.push(topic);
        yield { id: id(), type: "select_interest", actor: user, topic, at: at() };
        emitted++;
      }
      const inviter = who.draw();
      const theirs = interests.get(inviter);
      if (inviter !== u && theirs !== undefined && random.next() < 0.3 && emitted < o.actions) {
        yield {
          id: id(),
          type: "consume_invite",
          actor: user,
          target: { type: "invite", id: `inv-${inviter}-${u}`, author: `u${inviter}` },
          topic: random.pick(theirs),
          at: at(),
        };
        emitted++;
      }
      continue;
    }
    const roll = random.next();
    if (roll < 0.15 || posts.length === 0) {
      const post = { id: `p${posts.length}`, author: user, topic: random.pick(mine) };
      posts.push(post);
      yield { id: id(), type: "post", actor: user, target: { type: "post", id: post.id, author: user }, topic: post.topic, at: at() };
    } else {
      // Half the attention goes to recent posts, half to the whole archive.
      const post = random.next() < 0.5 ? (posts[posts.length - 1 - random.int(Math.min(200, posts.length))] as Post) : random.pick(posts);
      const target = { type: "post", id: post.id, author: post.author };
      const type = roll < 0.4 ? "reply" : roll < 0.8 ? "react" : roll < 0.92 ? "bookmark" : roll < 0.97 ? "repost" : "select_interest";
      if (type === "select_interest") {
        const topic = random.pick(topicIds);
        if (!mine.includes(topic)) mine.push(topic);
        yield { id: id(), type, actor: user, topic, at: at() };
      } else {
        yield { id: id(), type, actor: user, target, topic: post.topic, at: at() };
      }
    }
    emitted++;
  }
}
