// One worker process of the concurrency test: submits its share of the workload in its
// own order and batch sizes, and writes every result it got to a JSON file.
import { writeFileSync } from "node:fs";
import { openRepute } from "../../src/open-repute.js";
import { shuffled, workload } from "./concurrency-workload.js";

const [url, workerArg, out] = process.argv.slice(2) as [string, string, string];
const worker = Number(workerArg);
const repute = await openRepute({ db: url, config: "qa" });
// Every action is submitted by seven of the eight workers.
const mine = shuffled(workload().filter((_, i) => i % 8 !== worker), 1000 + worker);
const results: Record<string, unknown> = {};
for (let i = 0, size = 1; i < mine.length; i += size, size = 1 + ((i * 7 + worker) % 40)) {
  for (const r of await repute.submitBatch(mine.slice(i, i + size))) results[r.action] = { ...r, replay: undefined };
}
await repute.close();
writeFileSync(out, JSON.stringify(results));
