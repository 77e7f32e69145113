import { z } from "zod";
import type { AppInstance, RouteDeps } from "../app-instance.js";

/** The answer of `GET /healthz`. */
export const getHealthzResponse = z.object({ status: z.literal("ok") });

/** The answer of `GET /healthz`, as a type. */
export type GetHealthzResponse = z.output<typeof getHealthzResponse>;

/** `GET /healthz` (public): the process is up. Not rate limited. */
export function register(app: AppInstance, _deps: RouteDeps): void {
  app.get(
    "/healthz",
    { config: { auth: "public", rateLimit: false }, schema: { tags: ["operations"], summary: "Liveness: the process is up", response: { 200: getHealthzResponse } } },
    async () => ({ status: "ok" as const }),
  );
}
