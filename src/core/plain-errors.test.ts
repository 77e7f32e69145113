import { describe, expect, it } from "vitest";
import { z } from "zod";
import { plainErrors } from "./plain-errors.js";

const schema = z.strictObject({ id: z.string(), tags: z.array(z.string()).optional(), data: z.record(z.string(), z.number()).optional(), when: z.string("must be a date").optional() });
const messages = (input: unknown) => (schema.safeParse(input, { error: plainErrors }).error?.issues ?? []).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);

describe("plainErrors", () => {
  it("names what was expected and what came", () => {
    expect(messages([1])).toEqual(["(root): must be an object, not an array"]);
    expect(messages(null)).toEqual(["(root): must be an object, not null"]);
    expect(messages({ id: 7 })).toEqual(["id: must be a string, not a number (7)"]);
    expect(messages({ id: "a", tags: "x" })).toEqual(['tags: must be an array, not a string ("x")']);
    expect(messages({ id: "a", data: [] })).toEqual(["data: must be an object, not an array"]);
    expect(messages({ id: "a", data: { n: true } })).toEqual(["data.n: must be a number, not true"]);
    expect(messages({ id: "a".repeat(41), tags: "a".repeat(41) })).toEqual(["tags: must be an array, not a string"]);
  });

  it("says a missing field is required, and names unknown fields", () => {
    expect(messages({})).toEqual(["id: required"]);
    expect(messages({ id: "a", extra: 1 })).toEqual(['(root): unknown field "extra"']);
    expect(messages({ id: "a", b: 1, c: 2 })).toEqual(['(root): unknown fields "b", "c"']);
  });

  it("leaves a schema's own message, and zod's other messages, as they are", () => {
    expect(messages({ id: "a", when: 5 })).toEqual(["when: must be a date"]);
    expect(z.enum(["x"]).safeParse("y", { error: plainErrors }).error?.issues[0]?.message).toBe(z.enum(["x"]).safeParse("y").error?.issues[0]?.message);
  });

  it("is not installed globally: a parse without it keeps zod's wording", () => {
    expect(schema.safeParse([1]).error?.issues[0]?.message).not.toBe("must be an object, not an array");
  });
});
