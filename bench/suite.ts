// Runs one benchmark suite and prints its result as the last line of stdout (JSON).
import { cleanup } from "./harness/fixtures.js";
import { missingDumpReason } from "./harness/stackexchange.js";
import type { Suite } from "./harness/options.js";
import type { Comparison } from "./harness/stats.js";
import { httpSuite } from "./suites/http.js";
import { ledgerReads } from "./suites/ledger-reads.js";
import { benchPostgresUrl, postgresIngest } from "./suites/postgres-ingest.js";
import { realActivity } from "./suites/real-activity.js";
import { sqliteIngest } from "./suites/sqlite-ingest.js";

const [suite, size] = process.argv.slice(2) as [string, string];
const quick = size === "quick";
const suites: Record<Suite, { run: (quick: boolean) => Promise<Comparison[]>; skipped?: () => string | undefined }> = {
  "sqlite-ingest": { run: sqliteIngest },
  "ledger-reads": { run: ledgerReads },
  http: { run: httpSuite },
  "real-activity": { run: realActivity, skipped: missingDumpReason },
  "postgres-ingest": { run: postgresIngest, skipped: () => (benchPostgresUrl === undefined ? "set REPUTE_BENCH_DATABASE_URL (or REPUTE_TEST_DATABASE_URL) to a PostgreSQL server" : undefined) },
};
const chosen = suites[suite as Suite] as (typeof suites)[Suite] | undefined;
if (chosen === undefined) throw new Error(`unknown suite ${suite}`);
const started = performance.now();
const skipped = chosen.skipped?.();
let comparisons: Comparison[] | undefined;
try {
  comparisons = skipped === undefined ? await chosen.run(quick) : [];
} catch (e) {
  // One line the runner's reader can act on (REPUTE_DEBUG=1 for the stack); the runner reports the suite as failed.
  process.stderr.write(`bench: ${suite}: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.REPUTE_DEBUG) console.error(e);
} finally {
  cleanup();
}
if (comparisons === undefined) process.exit(1);
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ suite, comparisons, peakRssMb, seconds: Math.round((performance.now() - started) / 1000), ...(skipped === undefined ? {} : { skipped }) })}\n`);
