import { z } from "zod";
import { ReputeError } from "../../core/errors.js";
import type { AppInstance, RouteDeps } from "../app-instance.js";

/** The answer of `GET /readyz`. */
export const getReadyzResponse = z.object({ status: z.literal("ready") });

/** The answer of `GET /readyz`, as a type. */
export type GetReadyzResponse = z.output<typeof getReadyzResponse>;

/** How long readiness waits for the database: a hung one (a partition, a stopped server) is not ready. */
const PING_TIMEOUT_MS = 2_000;

/** Resolves when the engine's database answers within the timeout; rejects otherwise. */
async function pingWithin(ping: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([ping(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /readyz` (public): the store answers a cheap read; 503 SERVICE_UNAVAILABLE when it does not, or while shutting down. Not rate limited. */
export function register(app: AppInstance, { repute, closing }: RouteDeps): void {
  app.get(
    "/readyz",
    {
      config: { auth: "public", rateLimit: false },
      schema: { tags: ["operations"], summary: "Readiness: the database answers, and the server is not shutting down", response: { 200: getReadyzResponse } },
    },
    async (request) => {
      if (closing()) throw new ReputeError("SERVICE_UNAVAILABLE", "the server is shutting down");
      try {
        await pingWithin(() => repute.ping(), PING_TIMEOUT_MS);
      } catch (e) {
        // Whatever the failure (a driver error, a closed connection), the instance is not ready.
        request.log.warn({ err: e }, "readiness check: the database failed");
        throw new ReputeError("SERVICE_UNAVAILABLE", "the database does not answer", undefined, { cause: e });
      }
      return { status: "ready" as const };
    },
  );
}
