import { type FileHandle, open } from "node:fs/promises";

/** A file to flush to disk: `flush` is an fsync of it, `close` lets it go. */
export interface SyncTarget {
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Durable commits without blocking the writer: the store commits with SQLite's
 * `synchronous=NORMAL` (the commit's frames are written to the WAL, not yet flushed),
 * then waits here until an fsync of the WAL that began after the commit has finished.
 * The fsync runs on node's thread pool, so the event loop keeps serving requests
 * meanwhile, and every commit made while one fsync runs shares the next one — group
 * commit for the disk.
 *
 * That is the guarantee of `synchronous=FULL` — a commit the caller hears about is on
 * disk — with one difference: other readers may see a commit a moment before it is
 * durable (as with `synchronous=NORMAL`). The WAL file is never replaced while the
 * store's connection is open, so one descriptor serves for the store's life; frames a
 * checkpoint copies into the database file are flushed by the checkpoint itself
 * (SQLite syncs the database file after every checkpoint).
 *
 * @example
 * const wal = new SqliteWalSync(walFile(`${path}-wal`));
 * db.transaction(write).immediate();
 * await wal.sync(); // the transaction now survives a power cut
 */
export class SqliteWalSync {
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly target: SyncTarget) {}

  /** Resolves once everything written to the WAL before this call is on disk. */
  sync(): Promise<void> {
    if (this.current === null) return this.begin();
    // The running flush may have started before the caller's commit: the caller needs the next one.
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.current ?? this.begin();
      });
    return this.next;
  }

  /** Waits for the flushes asked for, then closes the file. */
  async close(): Promise<void> {
    while (this.current !== null || this.next !== null) await (this.next ?? this.current)?.catch(() => undefined);
    await this.target.close();
  }

  private begin(): Promise<void> {
    const run = this.target.flush().finally(() => {
      if (this.current === run) this.current = null;
    });
    this.current = run;
    return run;
  }
}

/**
 * A file to flush, opened on first use and kept open. An fsync through any
 * descriptor of a file flushes all of the file's written data.
 */
export function walFile(path: string): SyncTarget {
  let handle: Promise<FileHandle> | null = null;
  return {
    async flush() {
      handle ??= open(path, "r");
      const h = handle;
      try {
        await (await h).sync();
      } catch (e) {
        // Open afresh next time; close this descriptor if it opened at all.
        if (handle === h) handle = null;
        void h.then((f) => f.close()).catch(() => undefined);
        throw e;
      }
    },
    async close() {
      const h = handle;
      handle = null;
      if (h !== null) await (await h.catch(() => null))?.close();
    },
  };
}
