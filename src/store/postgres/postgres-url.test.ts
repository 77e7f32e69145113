import { describe, expect, it } from "vitest";
import { codeOf } from "../../core/testing/error-code.js";
import { parsePostgresUrl } from "./postgres-url.js";

describe("parsePostgresUrl", () => {
  it("takes Repute's own parameters out and leaves the rest to pg", () => {
    expect(parsePostgresUrl("postgres://u@h:5432/db?schema=repute&pool=4&sslmode=disable")).toEqual({
      connectionString: "postgres://u@h:5432/db?sslmode=disable",
      schema: "repute",
      poolSize: 4,
      options: undefined,
    });
  });

  it("keeps the URL's options apart, so they cannot replace the schema's search path", () => {
    const loc = parsePostgresUrl("postgres://u@h/db?schema=s&options=-c%20statement_timeout%3D5000");
    expect(loc.options).toBe("-c statement_timeout=5000");
    expect(loc.connectionString).toBe("postgres://u@h/db");
  });

  it("refuses a schema that is not an identifier and a pool that is not a whole number in range", () => {
    for (const bad of ["postgres://h/db?schema=a;drop", "postgres://h/db?pool=0", "postgres://h/db?pool=", "postgres://h/db?pool=1e1", "postgres://h/db?pool=1001", "not a url"]) {
      expect(codeOf(() => parsePostgresUrl(bad)), bad).toBe("CONFIG_INVALID");
    }
  });
});
