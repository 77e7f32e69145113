/**
 * Thrown inside a PostgreSQL transaction that saw a concurrent one commit something
 * its decisions did not account for (the same new topic, made meanwhile): the store
 * rolls it back and runs it again from the start, as after a deadlock. Decisions are
 * pure, so the retry decides afresh on what is committed.
 */
export class RetryTransaction extends Error {
  constructor(reason: string) {
    super(`transaction to be retried: ${reason}`);
    this.name = "RetryTransaction";
  }
}
