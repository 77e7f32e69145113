import type { ApiKeyRecord, ApiKeyRole } from "./api-key-record.js";

/** Column values of an `api_keys` row. */
export interface ApiKeyRow {
  id: number;
  name: string;
  role: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export function apiKeyFromRow(r: ApiKeyRow): ApiKeyRecord {
  return {
    id: Number(r.id),
    name: r.name,
    role: r.role as ApiKeyRole,
    prefix: r.prefix,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}
