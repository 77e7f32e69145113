import { z } from "zod";
import type { AppInstance, RouteDeps } from "../app-instance.js";
import { noBody } from "../schemas/no-query.js";

/** The answer of `POST /v1/admin/rebuild`. */
export const postAdminRebuildResponse = z.object({
  snapshots: z.number().int().describe("Snapshots recomputed."),
  changed: z.number().int().describe("Snapshots whose kept values differed (0 when all was well)."),
  entries: z.number().int().describe("Ledger entries read."),
});

/** The answer of `POST /v1/admin/rebuild`, as a type. */
export type PostAdminRebuildResponse = z.output<typeof postAdminRebuildResponse>;

/** `POST /v1/admin/rebuild` (role admin): recompute every snapshot from the ledger. */
export function register(app: AppInstance, { repute }: RouteDeps): void {
  app.post(
    "/v1/admin/rebuild",
    {
      config: { auth: "admin" },
      schema: { body: noBody, tags: ["admin"], summary: "Recompute every snapshot, rank count and cap counter from the ledger", response: { 200: postAdminRebuildResponse } },
    },
    async () => repute.rebuild(),
  );
}
