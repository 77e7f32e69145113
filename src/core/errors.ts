/**
 * The one error catalogue. Every broken contract anywhere in Repute throws a
 * `ReputeError` whose code is a key of this object; the value is the sentence
 * `docs/errors.md` documents (a test keeps the two in step). Expected outcomes —
 * a rule that matches nothing, a revert of an already reverted action — are values,
 * not errors.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: "The input does not have the expected shape; `details.issues` lists each failing field path.",
  UNKNOWN_ACTION_TYPE: "The action type is not named by the configuration (its rules or `actionTypes`).",
  UNKNOWN_TARGET_TYPE: "The target type is not one of the configuration's `targetTypes`.",
  ACTION_ID_CONFLICT: "An action with this id was already submitted with different content.",
  ACTION_NOT_FOUND: "The action named by `reverts` does not exist.",
  ACTION_NOT_REVERTIBLE: "The named action cannot be reverted (a revert is undone by nothing; submit the action again under a new id).",
  ACTION_INVALID: "The action is well-formed but cannot be applied (for example a rule gives points to `target.author` and the target names none, or a revert is dated before the action it reverts).",
  TOPIC_NOT_FOUND: "The topic does not exist and the configuration does not create topics automatically.",
  TOPIC_CONFLICT: "The topic already exists with a different parent.",
  LEVEL_NOT_FOUND: "The level filter names no level of the topic's ladder.",
  CURSOR_INVALID: "The pagination cursor is malformed or belongs to another listing.",
  CONFIG_INVALID: "The configuration does not validate; `details.issues` lists each failing path.",
  KEY_NAME_TAKEN: "An active API key already has this name; revoke it first or choose another.",
  KEY_NOT_FOUND: "No active API key has this name.",
  SCHEMA_TOO_NEW: "The database was migrated by a newer Repute than this one.",
  STORE_FAILED:
    "The database failed; the original driver error is the `cause`. Nothing of the request was written — unless `details.committed` is true: it was committed but could not be flushed to disk; resubmitting the same ids answers with replays.",
  UNAUTHORIZED: "The request carries no API key, or one that is unknown or revoked.",
  FORBIDDEN: "The API key is valid but its role does not allow this request.",
  NOT_FOUND: "No route serves this method and path.",
  PAYLOAD_TOO_LARGE: "The request body is larger than the service accepts (1 MiB).",
  UNSUPPORTED_MEDIA_TYPE: "The request body is not JSON (`Content-Type: application/json`).",
  RATE_LIMITED: "Too many requests from this API key (or address) in the current minute; retry after `Retry-After` seconds.",
  SERVICE_UNAVAILABLE: "The service is shutting down, its backlog of writes is full, or it cannot reach its database; nothing was written; retry later, elsewhere.",
  INTERNAL: "An unexpected error; the message says nothing more, the server log has the details under the request id.",
} as const;

/** A code from the catalogue. */
export type ErrorCode = keyof typeof errorCatalogue;

/** Every code, for exhaustiveness checks. */
export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

/** One failing field of a validation error. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * The error every entry point throws for a broken contract.
 *
 * @example
 * try { await repute.submit(action) }
 * catch (e) { if (e instanceof ReputeError && e.code === "ACTION_ID_CONFLICT") … }
 */
export class ReputeError extends Error {
  override readonly name = "ReputeError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The JSON body shape HTTP and `--json` output use. */
  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * True when `e` is a ReputeError, optionally with the given code (which it then narrows to).
 *
 * @example
 * if (isReputeError(e, "ACTION_ID_CONFLICT")) e.code; // "ACTION_ID_CONFLICT"
 */
export function isReputeError<C extends ErrorCode = ErrorCode>(e: unknown, code?: C): e is ReputeError & { readonly code: C } {
  return e instanceof ReputeError && (code === undefined || e.code === code);
}
