import { createReadStream, openSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { ReputeError, isReputeError } from "../../core/errors.js";
import type { Submission } from "../../core/keys.js";
import type { SubmitResult } from "../../core/submit-result.js";
import type { Repute } from "../../repute.js";
import { withEngine } from "../engine.js";
import { globals, integer } from "../globals.js";
import { counted, printJson } from "../output.js";

/** What a submit run did, printed at the end. */
interface Summary {
  actions: number;
  applied: number;
  replays: number;
  entries: number;
  levelChanges: number;
  /** Awards a rule gave none of (a second vote, a full cap…); each action's result says why. */
  withheld: number;
  batches: number;
  seconds: number;
}

/** `repute submit [FILE|-]`: JSON lines in batches, each batch one transaction. */
export function register(program: Command): void {
  program
    .command("submit")
    .description("submit actions from JSON lines (a file, or - / nothing for stdin); each batch is one transaction")
    .argument("[file]", "JSON lines file, or - for stdin", "-")
    .option("--batch-size <n>", "actions per transaction", integer, 1000)
    .option("--atomic", "all actions in one transaction: all or nothing")
    .option("--json", "print the summary (and results with --results) as JSON")
    .option("--results", "print every action's result as a JSON line")
    .action(async (file: string, opts: { batchSize: number; atomic?: boolean; results?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1 || opts.batchSize > 100_000) {
        throw new ReputeError("VALIDATION_FAILED", "--batch-size must be a whole number from 1 to 100000");
      }
      const summary = await withEngine(g, (repute) => ingest(repute, file, opts.atomic === true ? Number.MAX_SAFE_INTEGER : opts.batchSize, opts.results === true));
      if (g.json) printJson(summary);
      else process.stdout.write(describe(summary));
    });
}

function describe(s: Summary): string {
  const rate = s.seconds > 0 ? Math.round(s.actions / s.seconds) : s.actions;
  return (
    `submitted ${counted(s.actions, "action")} in ${counted(s.batches, "batch", "batches")}: ${s.applied} applied, ` +
    `${s.replays} already applied (replays); ${counted(s.entries, "ledger entry", "ledger entries")}, ` +
    `${counted(s.levelChanges, "level change")}${s.withheld > 0 ? `, ${counted(s.withheld, "award")} withheld` : ""}; ${s.seconds.toFixed(2)}s (${rate} actions/s)\n`
  );
}

async function ingest(repute: Repute, file: string, batchSize: number, printResults: boolean): Promise<Summary> {
  const started = performance.now();
  const fromStdin = file === "-";
  let input: NodeJS.ReadableStream;
  let total = 0;
  if (fromStdin) {
    input = process.stdin;
  } else {
    let fd: number;
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) throw new Error("it is a directory");
      fd = openSync(file, "r"); // fails here, not mid-stream, when it cannot be read
      total = stat.size;
    } catch (e) {
      throw new ReputeError("VALIDATION_FAILED", `cannot read ${file}: ${(e as Error).message}`, { path: file }, { cause: e });
    }
    input = createReadStream(file, { fd });
  }
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: fromStdin ? "submitting {actions} actions" : "submitting |{bar}| {percentage}% | {actions} actions | {eta_formatted} left",
        hideCursor: true,
        clearOnComplete: true,
      })
    : null;
  bar?.start(fromStdin ? 1 : total, 0, { actions: 0 });

  const s: Summary = { actions: 0, applied: 0, replays: 0, entries: 0, levelChanges: 0, withheld: 0, batches: 0, seconds: 0 };
  let batch: Submission[] = [];
  let lines: number[] = [];
  let bytes = 0;
  let lineNo = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const [outcome] = await repute.submitPrepared([batch]);
    if (outcome !== undefined && !outcome.ok) {
      const index = outcome.error.details?.index;
      const i = typeof index === "number" ? index : batch.findIndex((sub) => sub.action.id === outcome.error.details?.action);
      const where = i >= 0 ? `line ${lines[i]}` : `lines ${lines[0]}-${lines[lines.length - 1]}`;
      throw atLine(outcome.error, where, s);
    }
    for (const r of outcome?.results ?? []) count(s, r, printResults);
    s.batches++;
    batch = [];
    lines = [];
    bar?.update(fromStdin ? 0 : bytes, { actions: s.actions });
  };

  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of reader) {
      lineNo++;
      bytes += Buffer.byteLength(line) + 1;
      if (line.trim() === "") continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (e) {
        throw atLine(new ReputeError("VALIDATION_FAILED", `not valid JSON: ${(e as Error).message}`), `line ${lineNo}`, s);
      }
      try {
        batch.push(repute.prepare(raw));
      } catch (e) {
        throw isReputeError(e) ? atLine(e, `line ${lineNo}`, s) : e;
      }
      lines.push(lineNo);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    bar?.stop();
    reader.close();
  }
  s.seconds = (performance.now() - started) / 1000;
  return s;
}

function count(s: Summary, r: SubmitResult, print: boolean): void {
  s.actions++;
  if (r.replay) s.replays++;
  else s.applied++;
  s.entries += r.replay ? 0 : r.entries.length;
  s.levelChanges += r.replay ? 0 : r.levels.length;
  // Whole awards only: a copy the floor kept out of an ancestor (`topic`) belongs to an award that went through.
  s.withheld += r.replay ? 0 : r.withheld.filter((w) => w.topic === undefined).length;
  if (print) process.stdout.write(`${JSON.stringify(r)}\n`);
}

/** The error of a line, saying what was committed before it (resubmitting is safe: applied ids replay). */
function atLine(e: ReputeError, where: string, s: Summary): ReputeError {
  const before = s.actions === 1 ? "the action before its batch was" : `the ${s.actions} actions before its batch were`;
  const committed = s.actions === 0 ? "nothing was written" : `${before} committed; resubmitting the input is safe (their ids replay)`;
  return new ReputeError(e.code, `${where}: ${e.message} (${committed})`, { ...e.details, committed: s.actions }, { cause: e });
}
