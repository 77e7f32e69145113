import { hash } from "node:crypto";

/**
 * A stable hash of a canonical form: an action's (to tell a retry from a different action
 * under the same id) or a configuration's (its rules version). SHA-256, base64url.
 */
export function contentHash(canonical: string): string {
  return hash("sha256", canonical, "base64url");
}
