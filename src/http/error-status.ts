import type { ErrorCode } from "../core/errors.js";

/**
 * THE mapping from an error code to its HTTP status; nothing else in the service
 * picks an error status. 400: the request is wrong by itself; 404: it names something
 * that does not exist; 409: it conflicts with what is stored; 5xx: the service failed.
 * The switch is exhaustive over `ErrorCode`, so a new catalogue code does not compile
 * until it has a status here (and `docs/errors.md` shows it; a test compares them).
 */
export function errorStatus(code: ErrorCode): number {
  switch (code) {
    case "VALIDATION_FAILED":
    case "UNKNOWN_ACTION_TYPE":
    case "UNKNOWN_TARGET_TYPE":
    case "ACTION_INVALID":
    case "LEVEL_NOT_FOUND":
    case "CURSOR_INVALID":
    case "CONFIG_INVALID":
      return 400;
    case "UNAUTHORIZED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
    case "ACTION_NOT_FOUND":
    case "TOPIC_NOT_FOUND":
    case "KEY_NOT_FOUND":
      return 404;
    case "ACTION_ID_CONFLICT":
    case "ACTION_NOT_REVERTIBLE":
    case "TOPIC_CONFLICT":
    case "KEY_NAME_TAKEN":
      return 409;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "UNSUPPORTED_MEDIA_TYPE":
      return 415;
    case "RATE_LIMITED":
      return 429;
    case "INTERNAL":
    case "SCHEMA_TOO_NEW":
      return 500;
    case "STORE_FAILED":
    case "SERVICE_UNAVAILABLE":
      return 503;
    default: {
      const unmapped: never = code;
      throw new Error(`error code ${String(unmapped)} has no HTTP status`);
    }
  }
}
