// A second baseline for benchmark 7's group commit: the real service with group commit
// off, on a store whose every commit fsyncs the WAL inside the commit (SQLite's own
// synchronous=FULL), so no commit shares a flush with another — what one transaction
// per request costs without any gathering. Everything else is the service's own (the
// store, its background checkpointer, the app). Reads REPUTE_DB and the server's
// environment; prints "… listening on URL".
import Database from "better-sqlite3";
import { parseServerConfig } from "../../src/http/server-config.js";
import { startServer } from "../../src/http/server.js";
import { openRepute } from "../../src/open-repute.js";
import type { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";

const path = process.env.REPUTE_DB;
if (path === undefined) throw new Error("REPUTE_DB is not set");
const db = new Database(path);
const store = SqliteStore.fromDriver(db as unknown as SqliteDriver, "normal", path);
db.pragma("synchronous = FULL");
const repute = await openRepute({ db: store });
const server = await startServer(repute, parseServerConfig({}, { ...process.env, REPUTE_GROUP_COMMIT: "off" }));
process.stdout.write(`fsync-per-commit listening on ${server.url}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => void server.stop().then(() => repute.close()).then(() => process.exit(0)));
}
