import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../../src/core/errors.js";
import { errorStatus } from "../../src/http/error-status.js";

describe("error code → HTTP status", () => {
  it("maps every catalogue code to a 4xx or 5xx status", () => {
    for (const code of errorCodes) {
      const status = errorStatus(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it("docs/errors.md shows the status the service answers with, for every code", () => {
    const rows = [...readFileSync("docs/errors.md", "utf8").matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows.map(([code]) => code).sort()).toEqual([...errorCodes].sort());
    for (const [code, status] of rows) expect(status, String(code)).toBe(errorStatus(code as (typeof errorCodes)[number]));
  });
});
