import { z } from "zod";
import { ReputeError } from "./core/errors.js";
import { parseOrThrow } from "./core/validate.js";
import type { UnitOutcome } from "./store/store.js";

/** What the group committer needs of the engine (`Repute` has it). */
export interface UnitSubmitter {
  submitUnits(units: ReadonlyArray<readonly unknown[]>, options?: { validated?: boolean }): Promise<UnitOutcome[]>;
}

/** Options of a `GroupCommit`. */
export interface GroupCommitOptions {
  /**
   * `false`: every unit is committed at once in its own transaction — the baseline
   * group commit is measured against. Default `true`.
   */
  enabled?: boolean;
  /** The most units one transaction takes (default 512). */
  maxUnits?: number;
  /**
   * The most actions one transaction takes (default 10 000), so a run of large batches
   * does not hold the write lock for long; a single larger unit still goes alone.
   */
  maxActions?: number;
  /**
   * How long to wait for more units before committing, in ms. Default 0: commit as
   * soon as the event loop turns (everything that arrived meanwhile joins).
   */
  windowMs?: number;
  /**
   * The most actions that may wait for a transaction (default 50 000). A unit that would
   * take the backlog past it is refused at once with SERVICE_UNAVAILABLE (and
   * `details.retryAfter` in seconds) instead of queueing: under more load than the
   * store can commit, callers are told to come back rather than wait without bound
   * while memory grows. A unit that finds the backlog empty is always taken.
   */
  maxPending?: number;
  /**
   * Units are already parsed by `actionInputSchema` (as the HTTP routes do), so the
   * engine need not check their shape again. Default false.
   */
  validated?: boolean;
}

const groupCommitOptionsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  maxUnits: z.int().min(1).default(512),
  maxActions: z.int().min(1).default(10_000),
  windowMs: z.number().min(0).max(10_000).default(0),
  maxPending: z.int().min(1).default(50_000),
  validated: z.boolean().default(false),
});

/** One committed transaction: how many units and actions it carried. */
export interface Flush {
  units: number;
  actions: number;
}

interface Pending {
  unit: readonly unknown[];
  /** Its actions (a unit that is not a list is refused by the engine; it counts one). */
  size: number;
  resolve: (outcome: UnitOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit (docs/concepts.md, "Storage performance"): gathers the units concurrent callers submit
 * and commits them in one store transaction through `Repute.submitUnits`, then answers
 * each caller with its own outcome. A unit is all or nothing on its own — one that
 * fails validation or breaks a contract gets `{ ok: false }` and the others are applied.
 * One transaction is in flight at a time; units that arrive meanwhile form the next.
 * A database failure fails every unit of its transaction (nothing of them is written),
 * and the caller's promise rejects with it.
 *
 * @example
 * const commits = new GroupCommit(repute);
 * const outcome = await commits.submit([action]); // { ok: true, results: [SubmitResult] }
 * await commits.drain();                           // at shutdown: wait for pending units
 */
export class GroupCommit {
  /** The options, parsed, with their defaults. */
  private readonly settings: z.output<typeof groupCommitOptionsSchema>;
  private queue: Pending[] = [];
  /** The actions of the units in `queue`. */
  private queuedActions = 0;
  private scheduled = false;
  private active = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly listeners: Array<(flush: Flush) => void> = [];
  private counts = { transactions: 0, units: 0, actions: 0, refused: 0 };

  constructor(
    private readonly engine: UnitSubmitter,
    options: GroupCommitOptions = {},
  ) {
    this.settings = parseOrThrow(groupCommitOptionsSchema, options, "group commit options");
  }

  /**
   * Submits one unit (a batch: all or nothing) and resolves with its own outcome once
   * committed. Rejects at once with SERVICE_UNAVAILABLE, writing nothing, when the
   * backlog is full (see `maxPending`).
   */
  submit(unit: readonly unknown[]): Promise<UnitOutcome> {
    return new Promise<UnitOutcome>((resolve, reject) => {
      const size = Array.isArray(unit) ? unit.length : 1;
      const pending = { unit, size, resolve, reject };
      if (!this.settings.enabled) {
        void this.commit([pending]);
        return;
      }
      if (this.queuedActions > 0 && this.queuedActions + size > this.settings.maxPending) {
        this.counts.refused++;
        reject(
          new ReputeError("SERVICE_UNAVAILABLE", `the service is at capacity: ${this.queuedActions} actions wait to be committed; nothing of this request was written, retry in a moment`, {
            pendingActions: this.queuedActions,
            retryAfter: 1,
          }),
        );
        return;
      }
      this.queue.push(pending);
      this.queuedActions += size;
      this.schedule(this.settings.windowMs);
    });
  }

  /** Calls `listener` after every committed transaction (metrics). */
  onFlush(listener: (flush: Flush) => void): void {
    this.listeners.push(listener);
  }

  /** Transactions committed so far, the units and actions they carried, and the units refused for a full backlog. */
  get stats(): { transactions: number; units: number; actions: number; refused: number } {
    return { ...this.counts };
  }

  /** Units waiting for the next transaction. */
  get pending(): number {
    return this.queue.length;
  }

  /** Actions waiting for the next transaction (the backlog `maxPending` bounds). */
  get pendingActions(): number {
    return this.queuedActions;
  }

  /** Resolves once nothing is waiting and no transaction is in flight (graceful shutdown). */
  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.active === 0 && !this.scheduled;
  }

  private schedule(windowMs: number): void {
    // While a transaction is in flight, newcomers wait for it: it schedules the next.
    if (this.scheduled || this.active > 0) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (windowMs > 0) setTimeout(run, windowMs);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    try {
      const batch = this.take();
      if (batch.length > 0) await this.commit(batch);
    } finally {
      // Whatever arrived during the transaction has waited long enough: no new window.
      if (this.queue.length > 0) this.schedule(0);
    }
  }

  /** The next transaction's units: up to maxUnits, and maxActions unless the first unit alone is larger. */
  private take(): Pending[] {
    let units = 0;
    let actions = 0;
    while (units < this.queue.length && units < this.settings.maxUnits) {
      const { size } = this.queue[units] as Pending;
      if (units > 0 && actions + size > this.settings.maxActions) break;
      actions += size;
      units++;
    }
    this.queuedActions -= actions;
    return this.queue.splice(0, units);
  }

  private async commit(batch: Pending[]): Promise<void> {
    this.active++;
    try {
      let outcomes: UnitOutcome[];
      try {
        outcomes = await this.engine.submitUnits(
          batch.map((p) => p.unit),
          { validated: this.settings.validated },
        );
      } catch (e) {
        for (const p of batch) p.reject(e);
        return;
      }
      const flush = { units: batch.length, actions: batch.reduce((n, p) => n + p.size, 0) };
      this.counts.transactions++;
      this.counts.units += flush.units;
      this.counts.actions += flush.actions;
      batch.forEach((p, i) => {
        const outcome = outcomes[i];
        if (outcome === undefined) p.reject(new Error(`submitUnits answered ${outcomes.length} outcomes for ${batch.length} units`));
        else p.resolve(outcome);
      });
      for (const listener of this.listeners) listener(flush);
    } finally {
      this.active--;
      if (this.idle()) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }
}
