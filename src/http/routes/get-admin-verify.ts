import { z } from "zod";
import type { AppInstance, RouteDeps } from "../app-instance.js";

/** The answer of `GET /v1/admin/verify`. */
export const getAdminVerifyResponse = z.object({
  ok: z.boolean().describe("True when every invariant holds."),
  violations: z.array(z.object({ invariant: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })),
});

/** The answer of `GET /v1/admin/verify`, as a type. */
export type GetAdminVerifyResponse = z.output<typeof getAdminVerifyResponse>;

/** `GET /v1/admin/verify` (role admin): check every ledger invariant. 200 either way: read `ok`. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.get(
    "/v1/admin/verify",
    {
      config: { auth: "admin" },
      schema: { tags: ["admin"], summary: "Check every invariant of the ledger", description: "Answers 200 whether or not a violation was found: `ok` says.", response: { 200: getAdminVerifyResponse } },
    },
    async () => repute.verify(),
  );
}
