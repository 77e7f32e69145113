import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";

/** The benchmark's suites, in the order a run measures them. */
export const SUITES = ["sqlite-ingest", "ledger-reads", "http", "postgres-ingest", "real-activity"] as const;
export type Suite = (typeof SUITES)[number];

/** Where a run writes its results unless `--out` says otherwise. */
export const DEFAULT_RESULTS = fileURLToPath(new URL("../results.json", import.meta.url));

export interface BenchOptions {
  readonly quick: boolean;
  /** The results file: `--out`, resolved against the working directory, else bench/results.json. */
  readonly out: string;
  /** The suites to run, in SUITES order, each once. */
  readonly suites: readonly Suite[];
}

/** `--only a,b` (or `--only a --only b`): every name must be a suite, so a typo stops the run before anything is measured or written. */
function addSuites(value: string, previous: Suite[] | undefined): Suite[] {
  const names = value.split(",").map((s) => s.trim());
  const unknown = names.filter((n) => !(SUITES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    const named = unknown.map((n) => `"${n}"`).join(", ");
    throw new InvalidArgumentError(`${named} ${unknown.length === 1 ? "is not a suite" : "are not suites"}; the suites are ${SUITES.join(", ")}.`);
  }
  return [...(previous ?? []), ...(names as Suite[])];
}

/**
 * The options of `npm run bench`, parsed once. A wrong flag or suite throws a CommanderError after
 * commander has written the message and the usage to `writeErr`; `--help` throws one with exit code 0.
 */
export function parseBenchOptions(argv: readonly string[], writeErr: (s: string) => void = (s) => process.stderr.write(s)): BenchOptions {
  const program = new Command()
    .name("npm run bench --")
    .description("Measures every hot path of the engine beside a baseline run in the same process; prints a table and writes bench/results.json.")
    .option("--quick", "smaller sizes: the whole run takes under two minutes")
    .option("--only <suites>", `run only these suites, comma-separated: ${SUITES.join(", ")}`, addSuites)
    .option("--out <file>", "write the results there instead of bench/results.json")
    .addHelpText("after", "\nEnvironment:\n  REPUTE_BENCH_DATABASE_URL   PostgreSQL for the postgres-ingest suite (REPUTE_TEST_DATABASE_URL works too)\n  REPUTE_BENCH_STACKEXCHANGE  a Stack Exchange dump for real-activity (default ../shared/data/stackexchange/beer)\n")
    .configureOutput({ writeErr })
    .showHelpAfterError("(npm run bench -- --help lists the options and suites)")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{ quick?: true; only?: Suite[]; out?: string }>();
  const only = opts.only;
  return Object.freeze({
    quick: opts.quick === true,
    suites: SUITES.filter((s) => only === undefined || only.includes(s)),
    out: opts.out === undefined ? DEFAULT_RESULTS : resolve(opts.out),
  });
}
