import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { actionInputSchema } from "../../src/core/action.js";
import { errorCodes } from "../../src/core/errors.js";
import { presets } from "../../src/core/rules/presets/index.js";
import { parseConfig } from "../../src/core/rules/repute-config.js";

const read = (path: string) => readFileSync(path, "utf8");
const jsonBlocks = (md: string) => [...md.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe("docs stay true", () => {
  it("docs/errors.md documents exactly the codes of the catalogue", () => {
    const documented = [...read("docs/errors.md").matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...errorCodes].sort());
  });

  it("docs/config.md shows both presets exactly as they ship", () => {
    const blocks = jsonBlocks(read("docs/config.md")).map((b) => JSON.parse(b) as Record<string, unknown>);
    const full = blocks.filter((b) => "publication" in b && "levels" in b);
    expect(full).toEqual([parseConfig(presets.qa), parseConfig(presets.interests)]);
  });

  it("every action example in the docs is a valid action, and every config example a valid config", () => {
    for (const file of ["README.md", "docs/actions.md", "docs/config.md", "docs/http.md"]) {
      for (const block of jsonBlocks(read(file))) {
        const value = JSON.parse(block) as Record<string, unknown>;
        if ("type" in value && "actor" in value) expect(actionInputSchema.safeParse(value).success, `${file}: ${block}`).toBe(true);
        else if ("rules" in value) expect(() => parseConfig(value), `${file}: ${block}`).not.toThrow();
      }
    }
  });
});
