import { ReputeError } from "../../core/errors.js";
import type { ApiKeyRecord, ApiKeyRole } from "../api-key-record.js";
import { type ApiKeyRow, apiKeyFromRow } from "../api-key-row.js";
import type { PgQueryable } from "./pg-driver.js";

// The PostgreSQL store's API keys: only their hashes are stored; a revoked key stays listed.

/** Stores a new key; KEY_NAME_TAKEN when an active key has the name. */
export async function createApiKey(db: PgQueryable, key: { name: string; role: ApiKeyRole; hash: string; prefix: string; createdAt: number }): Promise<ApiKeyRecord> {
  try {
    const { rows } = await db.query<ApiKeyRow>("INSERT INTO api_keys (name, role, hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *", [
      key.name,
      key.role,
      key.hash,
      key.prefix,
      key.createdAt,
    ]);
    return apiKeyFromRow(rows[0] as ApiKeyRow);
  } catch (e) {
    if ((e as { code?: string }).code === "23505") {
      throw new ReputeError("KEY_NAME_TAKEN", `an active API key is already named "${key.name}"`, { name: key.name }, { cause: e });
    }
    throw e;
  }
}

/** The active key with this hash, or null. */
export async function activeApiKey(db: PgQueryable, hash: string): Promise<ApiKeyRecord | null> {
  const { rows } = await db.query<ApiKeyRow>("SELECT * FROM api_keys WHERE hash = $1 AND revoked_at IS NULL", [hash]);
  return rows[0] === undefined ? null : apiKeyFromRow(rows[0]);
}

/** Every key, revoked ones included, oldest first. */
export async function listApiKeys(db: PgQueryable): Promise<ApiKeyRecord[]> {
  return (await db.query<ApiKeyRow>("SELECT * FROM api_keys ORDER BY id")).rows.map(apiKeyFromRow);
}

/** Revokes the active key with this name; false when there is none. */
export async function revokeApiKey(db: PgQueryable, name: string, at: number): Promise<boolean> {
  return ((await db.query("UPDATE api_keys SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL", [at, name])).rowCount ?? 0) > 0;
}
