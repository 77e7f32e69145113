import type { Publication } from "./publication.js";

/**
 * Per (user, topic), derived from entries: published points, pending points, the
 * highest total after any action, the publication period, the number of entries and
 * the time of the latest one.
 */
export interface Snapshot {
  user: string;
  topic: string;
  points: number;
  pending: number;
  peak: number;
  period: number;
  entries: number;
  lastAt: number;
}

/** The snapshot of a (user, topic) that has no entries yet. */
export function emptySnapshot(user: string, topic: string): Snapshot {
  return { user, topic, points: 0, pending: 0, peak: 0, period: 0, entries: 0, lastAt: 0 };
}

/**
 * The snapshot after one more entry (pure; the argument is not changed). The peak is
 * left as it was: it is the highest total after an action, so `raisePeak` raises it
 * once the action's entries are all added.
 */
export function addToSnapshot(s: Snapshot, delta: number, at: number, publication: Publication, watermark: number): Snapshot {
  // The first entry sets the period and the time, before 1970 too (where both are negative).
  const first = s.entries === 0;
  const split = publication.add(first ? { points: s.points, pending: s.pending, period: publication.period(at) } : s, delta, at, watermark);
  return {
    user: s.user,
    topic: s.topic,
    points: split.points,
    pending: split.pending,
    period: split.period,
    peak: s.peak,
    entries: s.entries + 1,
    lastAt: first ? at : Math.max(s.lastAt, at),
  };
}

/** Raises a snapshot's peak to its total, when the total is higher (in place). */
export function raisePeak(s: Snapshot): void {
  const total = s.points + s.pending;
  if (total > s.peak) s.peak = total;
}

/** The map key of a (user, topic). NUL cannot occur in ids. */
export function snapshotKey(user: string, topic: string): string {
  return `${user}\u0000${topic}`;
}
