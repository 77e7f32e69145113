import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { type ErrorCode, errorCodes } from "../core/errors.js";
import type { SubmitResult } from "../core/submit-result.js";
import type { Flush } from "../group-commit.js";

/** Options of `Metrics`. */
export interface MetricsOptions {
  /** Also export the process's CPU, memory, event loop and GC metrics (the server does; tests need not). */
  processMetrics?: boolean;
}

/**
 * The service's Prometheus metrics, in a registry of their own (several apps can
 * live in one process, as in tests). Served as text by `GET /metrics`.
 *
 * | series | labels |
 * |---|---|
 * | `repute_http_requests_total` | method, route (the pattern, `(unmatched)` for 404s), status |
 * | `repute_http_request_duration_seconds` (histogram) | method, route, status |
 * | `repute_actions_ingested_total` | outcome: `new` or `replay` |
 * | `repute_group_commit_transactions_total` | |
 * | `repute_group_commit_units` / `repute_group_commit_actions` (histograms) | units and actions per transaction |
 * | `repute_group_commit_pending_actions` (gauge) | actions waiting for a transaction |
 * | `repute_errors_total` | code (the error catalogue's) |
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly duration: Histogram<"method" | "route" | "status">;
  private readonly ingested: Counter<"outcome">;
  private readonly transactions: Counter;
  private readonly unitsPerTransaction: Histogram;
  private readonly actionsPerTransaction: Histogram;
  private readonly errors: Counter<"code">;
  private backlog: () => number = () => 0;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: "repute_http_requests_total", help: "HTTP requests answered, by method, route and status.", labelNames: ["method", "route", "status"], registers });
    this.duration = new Histogram({
      name: "repute_http_request_duration_seconds",
      help: "HTTP request latency in seconds, by method, route and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.ingested = new Counter({ name: "repute_actions_ingested_total", help: "Actions submitted over HTTP: new ones applied, and replays of known ids.", labelNames: ["outcome"], registers });
    this.transactions = new Counter({ name: "repute_group_commit_transactions_total", help: "Store transactions committed by the group committer.", registers });
    this.unitsPerTransaction = new Histogram({
      name: "repute_group_commit_units",
      help: "Units (requests) per group-commit transaction.",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers,
    });
    this.actionsPerTransaction = new Histogram({
      name: "repute_group_commit_actions",
      help: "Actions per group-commit transaction.",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers,
    });
    this.errors = new Counter({ name: "repute_errors_total", help: "Error answers, by error code.", labelNames: ["code"], registers });
    const backlog = () => this.backlog();
    new Gauge({
      name: "repute_group_commit_pending_actions",
      help: "Actions waiting for a group-commit transaction (requests past the limit get 503).",
      registers,
      collect() {
        this.set(backlog());
      },
    });
    // Series that exist before the first event, so dashboards and alerts see zeros, not gaps.
    for (const outcome of ["new", "replay"]) this.ingested.inc({ outcome }, 0);
    for (const code of errorCodes) this.errors.inc({ code }, 0);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "repute_" });
  }

  /** One answered request. */
  request(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }

  /** The results of one submit request. */
  submitted(results: readonly SubmitResult[]): void {
    let replays = 0;
    for (const r of results) if (r.replay) replays++;
    if (results.length > replays) this.ingested.inc({ outcome: "new" }, results.length - replays);
    if (replays > 0) this.ingested.inc({ outcome: "replay" }, replays);
  }

  /** One group-commit transaction. */
  flushed(flush: Flush): void {
    this.transactions.inc();
    this.unitsPerTransaction.observe(flush.units);
    this.actionsPerTransaction.observe(flush.actions);
  }

  /** Where the gauge of actions waiting for a transaction reads them. */
  watchBacklog(read: () => number): void {
    this.backlog = read;
  }

  /** One error answer. */
  error(code: ErrorCode): void {
    this.errors.inc({ code });
  }

  /** The Prometheus text exposition. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
