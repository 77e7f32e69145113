/** What a key may do: `read` reads; `app` reads and submits actions; `admin` does everything. */
export type ApiKeyRole = "read" | "app" | "admin";

/** The roles, weakest first. */
export const apiKeyRoles: readonly ApiKeyRole[] = ["read", "app", "admin"];

/** An API key as stored: never the key itself, only its SHA-256 and a short prefix to recognise it by. */
export interface ApiKeyRecord {
  id: number;
  name: string;
  role: ApiKeyRole;
  /** The first characters of the key, for people to tell keys apart. */
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
}
