import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import { ReputeError } from "../core/errors.js";
import { errorBody } from "./error-handler.js";
import { errorStatus } from "./error-status.js";
import type { Metrics } from "./metrics.js";
import { REQUEST_ID_HEADER } from "./request-id.js";

/** Why Node's HTTP parser gave up on a connection's request, as a person says it. */
function what(code: string | undefined): string {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return "the request line and headers are over the server's limit (16 KiB)";
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return "the request did not arrive in full in time";
    default:
      return `the request is not well-formed HTTP (${code ?? "unreadable"})`;
  }
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (a bad request
 * line, a malformed header or chunk, headers over the limit) never reaches a route, and
 * is answered here in the one error shape, as VALIDATION_FAILED with a new request id,
 * and counted like any refused request (method and route `(unreadable)`).
 */
export function clientErrorHandler(metrics: Metrics): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === "ECONNRESET" || socket.destroyed) return;
    answer(err, socket, metrics);
  };
}

function answer(err: NodeJS.ErrnoException, socket: Socket, metrics: Metrics): void {
  const requestId = randomUUID();
  const message = what(err.code);
  const error = new ReputeError("VALIDATION_FAILED", `invalid request: ${message}`, { issues: [{ path: "(request)", message }] });
  const status = errorStatus(error.code);
  metrics.error(error.code);
  metrics.request("(unreadable)", "(unreadable)", status, 0);
  const body = JSON.stringify(errorBody(error, requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
