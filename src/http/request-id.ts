import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The header a request id arrives and leaves in. */
export const REQUEST_ID_HEADER = "x-request-id";

const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request: the caller's `X-Request-Id` when it is 1–128 characters of
 * `[A-Za-z0-9._:-]` (so a proxy's id follows the request through the logs), else a
 * new UUID. It is echoed on every response and is `error.requestId` in error bodies.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === "string" && ACCEPTED.test(given) ? given : randomUUID();
}
