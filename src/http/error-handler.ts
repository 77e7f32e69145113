import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type ErrorCode, ReputeError, isReputeError } from "../core/errors.js";
import { errorStatus } from "./error-status.js";
import type { Metrics } from "./metrics.js";
import { REQUEST_ID_HEADER } from "./request-id.js";
import type { ErrorBody } from "./schemas/error-body-schema.js";

/** The body limit: larger requests are refused with 413 PAYLOAD_TOO_LARGE. */
export const BODY_LIMIT = 1024 * 1024;

/** What the service says about failures whose details are for the log only. */
const opaque: Partial<Record<ErrorCode, string>> = {
  INTERNAL: "internal error; the server log has the details under this request id",
  STORE_FAILED: "the database failed; nothing of this request was written",
};

/** A path the router cannot read; the message does not echo it (it may be long, or not text). */
function badPath(message: string): ReputeError {
  return new ReputeError("VALIDATION_FAILED", `invalid path: ${message}`, { issues: [{ path: "(path)", message }] });
}

/** Fastify's own 4xx errors, by code, as catalogue errors. */
function fromFastify(error: FastifyError): ReputeError | null {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ReputeError("PAYLOAD_TOO_LARGE", `the request body is over ${BODY_LIMIT} bytes (1 MiB); split a large batch`, { limit: BODY_LIMIT });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ReputeError("UNSUPPORTED_MEDIA_TYPE", "send the body as JSON with Content-Type: application/json");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new ReputeError("VALIDATION_FAILED", "invalid body: (root): empty, but Content-Type says JSON", { issues: [{ path: "(root)", message: "must not be empty" }] });
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new ReputeError("VALIDATION_FAILED", "invalid body: (root): not valid JSON", { issues: [{ path: "(root)", message: "not valid JSON" }] });
    case "FST_ERR_BAD_URL":
      return badPath("not valid percent-encoded UTF-8");
    case "FST_ERR_MAX_PARAM_LENGTH":
      return badPath("a path parameter is over 1024 characters");
  }
  switch (error.statusCode) {
    case 404:
      return new ReputeError("NOT_FOUND", error.message);
    case 413:
      return new ReputeError("PAYLOAD_TOO_LARGE", error.message);
    case 415:
      return new ReputeError("UNSUPPORTED_MEDIA_TYPE", error.message);
  }
  // Any other client error Fastify detects (a malformed URL, a path parameter over the
  // router's length limit, a wrong Content-Length) is a request wrong by itself.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return new ReputeError("VALIDATION_FAILED", error.message);
  return null;
}

/** Any error as a catalogue error: ours as they are, Fastify's 4xx by meaning, anything else INTERNAL. */
export function toReputeError(error: unknown): ReputeError {
  if (isReputeError(error)) return error;
  const fastify = typeof error === "object" && error !== null && "statusCode" in error ? fromFastify(error as FastifyError) : null;
  return fastify ?? new ReputeError("INTERNAL", "internal error", undefined, { cause: error });
}

/** What the service says when the commit was written but could not be flushed to disk. */
const COMMITTED_UNFLUSHED =
  "the database committed this request but could not flush it to disk; resubmitting the same action ids answers their results as replays";

/** The body of an error answer (for 5xx without internals). */
export function errorBody(error: ReputeError, requestId: string): ErrorBody {
  if (error.code === "STORE_FAILED" && error.details?.committed === true) {
    return { error: { code: error.code, message: COMMITTED_UNFLUSHED, requestId, details: { committed: true } } };
  }
  const message = opaque[error.code];
  if (message !== undefined) return { error: { code: error.code, message, requestId } };
  return { error: { code: error.code, message: error.message, requestId, ...(error.details === undefined ? {} : { details: error.details }) } };
}

/** Sends an error answer (see registerErrorHandling). */
export type ErrorSender = (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply;

/**
 * Every error answer goes through the function this returns: the status from
 * `errorStatus`, the body `{ error: { code, message, requestId, details? } }`, never
 * cached, counted by code, and logged — 5xx with the original error and its stack
 * (never sent to the caller).
 */
export function errorSender(metrics: Metrics): ErrorSender {
  return (raw, request, reply) => {
    const error = toReputeError(raw);
    const status = errorStatus(error.code);
    if (status >= 500) request.log.error({ err: raw, code: error.code }, "request failed");
    else request.log.info({ code: error.code, message: error.message }, "request refused");
    metrics.error(error.code);
    // A full backlog says when to come back, as a rate limit does.
    const retryAfter = error.details?.retryAfter;
    if (typeof retryAfter === "number") reply.header("retry-after", String(retryAfter));
    return reply.code(status).header(REQUEST_ID_HEADER, request.id).header("cache-control", "no-store").send(errorBody(error, request.id));
  };
}

/** Routes every error — thrown by a route or a hook, or an unknown route — through `send`. */
export function registerErrorHandling(app: FastifyInstance, send: ErrorSender): void {
  app.setErrorHandler((error, request, reply) => send(error, request, reply));
  app.setNotFoundHandler((request, reply) => send(new ReputeError("NOT_FOUND", `no route serves ${request.method} ${request.url.split("?")[0]}`), request, reply));
}
