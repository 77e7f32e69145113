import { describe, expect, it } from "vitest";
import { isReputeError } from "../../src/core/errors.js";
import { parseServerConfig } from "../../src/http/server-config.js";

function errorOf(run: () => unknown): { message: string; issues: Array<{ path: string; message: string }> } {
  try {
    run();
  } catch (e) {
    if (isReputeError(e, "CONFIG_INVALID")) return { message: e.message, issues: (e.details as { issues: Array<{ path: string; message: string }> }).issues };
    throw e;
  }
  throw new Error("expected CONFIG_INVALID");
}

describe("server settings", () => {
  it("default to the embedded database on port 4000, private reads, group commit on, durable commits", () => {
    expect(parseServerConfig({}, {})).toEqual({
      db: "./repute.db",
      port: 4000,
      host: "0.0.0.0",
      publicReads: false,
      rateLimit: 6000,
      corsOrigins: [],
      logLevel: "info",
      groupCommit: "on",
      groupCommitMax: 512,
      groupCommitWindowMs: 0,
      groupCommitMaxPending: 50_000,
      requestTimeoutMs: 30_000,
      shutdownTimeoutMs: 10_000,
      durability: "full",
      checkResponses: false,
    });
  });

  it("come from the environment; flags win; an empty variable means unset; the result is frozen", () => {
    const env = {
      REPUTE_DB: "/data/r.db",
      REPUTE_CONFIG: "",
      PORT: "8080",
      HOST: "127.0.0.1",
      REPUTE_PUBLIC_READS: "true",
      REPUTE_RATE_LIMIT: "0",
      REPUTE_CORS_ORIGINS: "https://a.example.com, https://b.example.com/",
      LOG_LEVEL: "warn",
      REPUTE_GROUP_COMMIT: "off",
      REPUTE_GROUP_COMMIT_MAX: "64",
      REPUTE_GROUP_COMMIT_WINDOW_MS: "2",
      REPUTE_GROUP_COMMIT_MAX_PENDING: "2000",
      REPUTE_REQUEST_TIMEOUT_MS: "0",
      REPUTE_SHUTDOWN_TIMEOUT_MS: "500",
      REPUTE_DURABILITY: "normal",
      REPUTE_CHECK_RESPONSES: "true",
    };
    const config = parseServerConfig({ port: "9000", publicReads: true }, env);
    expect(config).toMatchObject({
      db: "/data/r.db",
      port: 9000,
      host: "127.0.0.1",
      publicReads: true,
      rateLimit: 0,
      corsOrigins: ["https://a.example.com", "https://b.example.com"],
      logLevel: "warn",
      groupCommit: "off",
      groupCommitMax: 64,
      groupCommitWindowMs: 2,
      groupCommitMaxPending: 2000,
      requestTimeoutMs: 0,
      shutdownTimeoutMs: 500,
      durability: "normal",
      checkResponses: true,
    });
    expect(config.config).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.corsOrigins)).toBe(true);
    expect(parseServerConfig({}, { REPUTE_PUBLIC_READS: "0", PORT: "0", REPUTE_CORS_ORIGINS: "*" })).toMatchObject({ publicReads: false, port: 0, corsOrigins: ["*"] });
  });

  it("refuse invalid values, naming each setting's variable and flag", () => {
    const e = errorOf(() => parseServerConfig({ logLevel: "loud" }, { PORT: "http", REPUTE_RATE_LIMIT: "-1", REPUTE_PUBLIC_READS: "yes", REPUTE_CORS_ORIGINS: "app.example.com", REPUTE_GROUP_COMMIT: "maybe" }));
    expect(e.issues.map((i) => i.path)).toEqual([
      "PORT (--port)",
      "REPUTE_PUBLIC_READS (--public-reads)",
      "REPUTE_RATE_LIMIT (--rate-limit)",
      "REPUTE_CORS_ORIGINS (--cors-origins)",
      "LOG_LEVEL (--log-level)",
      "REPUTE_GROUP_COMMIT (--group-commit)",
    ]);
    expect(e.message).toMatch(/^invalid server settings: PORT \(--port\): .+; REPUTE_PUBLIC_READS \(--public-reads\): .+/);
    expect(errorOf(() => parseServerConfig({}, { PORT: "70000" })).message).toBe("invalid server settings: PORT (--port): must be at most 65535");
    // A blank value or a number in another notation is refused, not read as 0 or 1000.
    for (const [flags, env] of [[{ rateLimit: "" }, {}], [{}, { REPUTE_RATE_LIMIT: " " }], [{}, { PORT: "1e3" }], [{ groupCommitWindowMs: "0x10" }, {}], [{}, { PORT: "+5" }]] as const) {
      expect(errorOf(() => parseServerConfig(flags, env)).issues[0]?.message, JSON.stringify([flags, env])).toBe("must be a whole number");
    }
  });
});
