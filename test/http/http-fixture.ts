import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import type { ReputeConfigInput } from "../../src/core/rules/repute-config.js";
import type { AppInstance } from "../../src/http/app-instance.js";
import { type AppDeps, buildApp } from "../../src/http/app.js";
import { parseServerConfig } from "../../src/http/server-config.js";
import type { Repute } from "../../src/repute.js";
import { openRepute } from "../../src/open-repute.js";
import type { ApiKeyRole } from "../../src/store/api-key-record.js";

/** Who a test request is made as: a key of a role, no key at all, or a raw Authorization header. */
export type Caller = ApiKeyRole | "anonymous" | { authorization: string };

/** The app on a fresh SQLite database in a temp dir, with one key of each role. */
export interface HttpFixture {
  app: AppInstance;
  repute: Repute;
  dbPath: string;
  keys: Record<ApiKeyRole, string>;
  /** `app.inject` as a caller (default admin). */
  request(options: InjectOptions & { as?: Caller }): Promise<LightMyRequestResponse>;
  /** Row counts of the ledger's tables, read behind the engine's back. */
  counts(): { actions: number; entries: number; snapshots: number; topics: number };
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** Server settings as environment variables (LOG_LEVEL is silent unless given). */
  env?: Record<string, string>;
  config?: ReputeConfigInput | "qa" | "interests";
  deps?: Omit<AppDeps, "repute">;
}

/** Builds the app on a fresh database; `close()` removes everything. */
export async function httpFixture(options: FixtureOptions = {}): Promise<HttpFixture> {
  const dir = mkdtempSync(join(tmpdir(), "repute-http-"));
  const dbPath = join(dir, "test.db");
  const repute = await openRepute({ db: dbPath, config: options.config ?? "qa" });
  const keys = {} as Record<ApiKeyRole, string>;
  for (const role of ["read", "app", "admin"] as const) keys[role] = (await repute.apiKeys.create({ name: `${role}-key`, role })).key;
  const app = await buildApp({ repute, ...options.deps }, parseServerConfig({}, { LOG_LEVEL: "silent", REPUTE_RATE_LIMIT: "0", REPUTE_CHECK_RESPONSES: "true", ...options.env }));
  const headerFor = (as: Caller): Record<string, string> =>
    as === "anonymous" ? {} : typeof as === "object" ? as : { authorization: `Bearer ${keys[as]}` };
  return {
    app,
    repute,
    dbPath,
    keys,
    request({ as = "admin", headers, ...rest }) {
      return app.inject({ ...rest, headers: { ...headerFor(as), ...headers } });
    },
    counts() {
      const db = new Database(dbPath, { readonly: true });
      try {
        const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        return { actions: count("actions"), entries: count("entries"), snapshots: count("snapshots"), topics: count("topics") };
      } finally {
        db.close();
      }
    },
    async close() {
      await app.close();
      await repute.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An upvote on an answer: voter +2, author +10 under the qa preset. */
export const upvote = (id: string, voter = "42", author = "7", extra: object = {}) => ({
  id,
  type: "upvote",
  actor: voter,
  target: { type: "answer", id: `a-${id}`, author },
  ...extra,
});
