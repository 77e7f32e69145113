import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Inline checkpoints while the background one runs (~400 MB of WAL). A WAL starts over
 * only when a write transaction begins with every frame copied, which a checkpoint
 * running beside a steady writer never quite achieves; so under sustained writes the
 * WAL grows to this size, the writer's own checkpoint copies the last frames, and the
 * next write starts the file over (it keeps its size). A lower bound costs the writer
 * an inline checkpoint — two fsyncs on its thread — more often.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 100_000;
/** Inline checkpoints without a background one. */
export const INLINE_CHECKPOINT_PAGES = 10_000;

// The thread's code, as CommonJS: it runs from the built package and from the sources
// under test alike. It checkpoints on its own connection; PASSIVE never blocks a writer.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = 1000");
const tick = () => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* busy: the next tick */ } };
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); tick(); db.close(); parentPort.close(); });
`;

/**
 * Checkpoints a SQLite database's WAL from a background thread, so the copy into the
 * database file and its fsyncs happen beside the writer instead of inside one of its
 * commits (on an ordinary disk that was a quarter of the cost of every write). The
 * writer's own automatic checkpoint stays as a backstop, set far higher while this
 * runs; if the thread fails, the writer goes back to checkpointing inline.
 */
export class SqliteCheckpointer {
  private worker: Worker | null = null;
  private failed = false;

  constructor(
    private readonly path: string,
    /** Sets the writer's automatic checkpoint, in pages. */
    private readonly setInline: (pages: number) => void,
    private readonly intervalMs = 100,
  ) {}

  /** Starts the thread unless it runs already (or failed before). */
  start(): void {
    if (this.worker !== null || this.failed) return;
    try {
      const driver = createRequire(import.meta.url).resolve("better-sqlite3");
      const worker = new Worker(THREAD, { eval: true, workerData: { path: this.path, driver, intervalMs: this.intervalMs } });
      worker.unref(); // a store left open must not keep the process alive
      worker.on("error", () => this.fail());
      this.worker = worker;
      this.setInline(BACKSTOP_CHECKPOINT_PAGES);
    } catch {
      this.fail();
    }
  }

  private fail(): void {
    this.failed = true;
    this.worker = null;
    this.setInline(INLINE_CHECKPOINT_PAGES);
  }

  /** Stops the thread after a last checkpoint; resolves when it has exited. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    const exited = new Promise<void>((done) => worker.once("exit", () => done()));
    worker.postMessage("stop");
    const timeout = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timeout);
  }
}
