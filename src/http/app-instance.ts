import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { GroupCommit } from "../group-commit.js";
import type { Repute } from "../repute.js";
import type { Metrics } from "./metrics.js";

/** The Fastify instance routes register on: request and reply types come from the routes' zod schemas. */
export type AppInstance = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What a route's `register` gets besides the app. */
export interface RouteDeps {
  repute: Repute;
  /** Submissions go through it: concurrent requests share a transaction. */
  groupCommit: GroupCommit;
  metrics: Metrics;
  /** True once the server has begun to shut down (readiness fails, new requests get 503). */
  closing(): boolean;
}
