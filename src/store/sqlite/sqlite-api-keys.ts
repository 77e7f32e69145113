import Database from "better-sqlite3";
import { ReputeError } from "../../core/errors.js";
import type { ApiKeyRecord, ApiKeyRole } from "../api-key-record.js";
import { type ApiKeyRow, apiKeyFromRow } from "../api-key-row.js";
import type { SqliteDriver, SqliteStatement } from "./sqlite-driver.js";

/** The embedded store's API keys: only their hashes are stored; a revoked key stays listed. */
export class SqliteApiKeys {
  private readonly insert: SqliteStatement;
  private readonly byHash: SqliteStatement;
  private readonly all: SqliteStatement;
  private readonly revokeByName: SqliteStatement;

  constructor(db: SqliteDriver) {
    this.insert = db.prepare("INSERT INTO api_keys (name, role, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *");
    this.byHash = db.prepare("SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL");
    this.all = db.prepare("SELECT * FROM api_keys ORDER BY id");
    this.revokeByName = db.prepare("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL");
  }

  /** Stores a new key; KEY_NAME_TAKEN when an active key has the name. */
  create(key: { name: string; role: ApiKeyRole; hash: string; prefix: string; createdAt: number }): ApiKeyRecord {
    try {
      return apiKeyFromRow(this.insert.get(key.name, key.role, key.hash, key.prefix, key.createdAt) as ApiKeyRow);
    } catch (e) {
      if (e instanceof Database.SqliteError && e.code.startsWith("SQLITE_CONSTRAINT")) {
        throw new ReputeError("KEY_NAME_TAKEN", `an active API key is already named "${key.name}"`, { name: key.name }, { cause: e });
      }
      throw e;
    }
  }

  /** The active key with this hash, or null. */
  active(hash: string): ApiKeyRecord | null {
    const row = this.byHash.get(hash) as ApiKeyRow | undefined;
    return row === undefined ? null : apiKeyFromRow(row);
  }

  /** Every key, revoked ones included, oldest first. */
  list(): ApiKeyRecord[] {
    return (this.all.all() as ApiKeyRow[]).map(apiKeyFromRow);
  }

  /** Revokes the active key with this name; false when there is none. */
  revoke(name: string, at: number): boolean {
    return this.revokeByName.run(at, name).changes > 0;
  }
}
