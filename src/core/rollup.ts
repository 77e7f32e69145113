import { z } from "zod";

/** Ratios are taken to 6 decimal places so shares are exact integer arithmetic. */
const SCALE = 1_000_000;

/**
 * How points recorded in a topic reach its ancestors: `ratios[0]` is the topic
 * itself (always 1), `ratios[j]` the ancestor j steps up. `global: true` keeps one
 * global total that receives every entry in full.
 */
export const rollupSchema = z
  .array(z.number().min(0).max(1))
  .min(1)
  .refine((r) => r[0] === 1, "the first ratio is the topic itself and must be 1");

/**
 * The share of `delta` an ancestor receives at `ratio`: trunc(delta × ratio),
 * truncated toward zero so a revert's share is exactly the negation (invariant 7 in
 * docs/concepts.md).
 *
 * @example share(10, 0.25) === 2 && share(-10, 0.25) === -2
 */
export function share(delta: number, ratio: number): number {
  const r = Math.round(ratio * SCALE);
  const v = Math.trunc((delta * r) / SCALE);
  return v === 0 ? 0 : v; // no negative zero
}

/** One topic an award in a topic reaches: the topic itself, an ancestor, or the global total. */
export interface Reach {
  topic: string;
  kind: "base" | "rollup" | "global";
  ratio: number;
}

/**
 * Every topic an award recorded in `topic` reaches, the topic itself first:
 * ancestors up to the configured ratios (never `global` itself), then `global` in
 * full when a global total is kept.
 *
 * @example reach("ipa", …) → ipa ×1, ale ×0.5, beer ×0.25 (interests preset)
 */
export function reach(
  topic: string,
  ancestors: readonly string[],
  ratios: readonly number[],
  global: boolean,
  globalId: string,
): Reach[] {
  const out: Reach[] = [{ topic, kind: "base", ratio: 1 }];
  for (let j = 1; j < ratios.length && j - 1 < ancestors.length; j++) {
    out.push({ topic: ancestors[j - 1] as string, kind: "rollup", ratio: ratios[j] as number });
  }
  if (global && topic !== globalId) out.push({ topic: globalId, kind: "global", ratio: 1 });
  return out;
}
