// Runs one benchmark suite and prints its result as the last line of stdout (JSON).
import { cleanup } from "./harness/fixtures.js";
import type { Suite } from "./harness/options.js";
import type { Comparison } from "./harness/stats.js";
import { httpSuite } from "./suites/http.js";
import { ledgerReads } from "./suites/ledger-reads.js";
import { benchPostgresUrl, postgresIngest } from "./suites/postgres-ingest.js";
import { realActivity, realActivitySkipped } from "./suites/real-activity.js";
import { sqliteIngest } from "./suites/sqlite-ingest.js";

const [suite, size] = process.argv.slice(2) as [string, string];
const quick = size === "quick";
const suites: Record<Suite, { run: (quick: boolean) => Promise<Comparison[]>; skipped?: () => string | undefined }> = {
  "sqlite-ingest": { run: sqliteIngest },
  "ledger-reads": { run: ledgerReads },
  http: { run: httpSuite },
  "real-activity": { run: realActivity, skipped: realActivitySkipped },
  "postgres-ingest": { run: postgresIngest, skipped: () => (benchPostgresUrl === undefined ? "set REPUTE_BENCH_DATABASE_URL (or REPUTE_TEST_DATABASE_URL) to a PostgreSQL server" : undefined) },
};
const chosen = suites[suite as Suite] as (typeof suites)[Suite] | undefined;
if (chosen === undefined) throw new Error(`unknown suite ${suite}`);
const started = performance.now();
const skipped = chosen.skipped?.();
const comparisons = skipped === undefined ? await chosen.run(quick) : [];
cleanup();
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ suite, comparisons, peakRssMb, seconds: Math.round((performance.now() - started) / 1000), ...(skipped === undefined ? {} : { skipped }) })}\n`);
