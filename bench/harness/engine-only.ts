// Runs an ingest workload of benchmarks 1 and 2 on the engine alone and prints its peak
// RSS in MB: the engine's memory, apart from the recordings and the raw baseline that
// share the suite's process. Usage: engine-only.ts ACTIONS USERS BATCH
import { cleanup, engineOn, freshPath, submitAll, upvotes } from "./fixtures.js";

const [n, users, batch] = process.argv.slice(2).map(Number) as [number, number, number];
const repute = await engineOn(freshPath(), "qa");
await submitAll(repute, upvotes(n, users), batch);
await repute.close();
cleanup();
process.stdout.write(`${Math.round(process.resourceUsage().maxRSS / 1024)}\n`);
