import { z } from "zod";
import { type ErrorCode, errorCodes } from "../../core/errors.js";

/** Every error answer: `{ error: { code, message, requestId, details? } }`. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]).describe("The error code, from the catalogue (docs/errors.md)."),
      message: z.string().describe("What went wrong, for people."),
      requestId: z.string().describe("The request id (also the X-Request-Id response header); the server log has it."),
      details: z.record(z.string(), z.unknown()).optional().describe("Structured details; for VALIDATION_FAILED, `issues: [{ path, message }]`."),
    }),
  })
  .meta({ id: "Error" });

/** The body of an error answer. */
export type ErrorBody = z.output<typeof errorBodySchema>;
