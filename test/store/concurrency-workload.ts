import type { ActionInput } from "../../src/core/action.js";

/**
 * A workload whose totals do not depend on the order it is applied in: upvotes
 * (capped at 200 a day per user, once per voter and answer), duplicate votes under
 * other ids (the once-award decides which one pays), downvotes and posts, on answers
 * whose author always writes in the same tag (so capped points land in one topic),
 * with tags created on first use. No deletions, reverts or floor: those depend on order.
 */
export function workload(): ActionInput[] {
  const at = "2026-11-10T12:00:00Z";
  const answers = Array.from({ length: 60 }, (_, i) => ({ id: `a${i}`, author: `author${i % 12}`, tag: `tag${i % 12 % 5}` }));
  const out: ActionInput[] = [];
  for (const a of answers) out.push({ id: `post:${a.id}`, type: "post", actor: a.author, target: { type: "answer", id: a.id, author: a.author }, topic: a.tag, at });
  for (let v = 0; v < 40; v++) {
    for (const a of answers) {
      const pick = (v * 7 + Number(a.id.slice(1)) * 3) % 10;
      const target = { type: "answer", id: a.id, author: a.author };
      if (pick < 5) out.push({ id: `up:${v}:${a.id}`, type: "upvote", actor: `voter${v}`, target, topic: a.tag, at });
      if (pick === 0) out.push({ id: `up-again:${v}:${a.id}`, type: "upvote", actor: `voter${v}`, target, topic: a.tag, at });
      if (pick === 6) out.push({ id: `down:${v}:${a.id}`, type: "downvote", actor: `voter${v}`, target, topic: a.tag, at });
    }
  }
  return out;
}

/** A seeded shuffle (mulberry32), so each worker submits in its own order. */
export function shuffled<T>(list: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
