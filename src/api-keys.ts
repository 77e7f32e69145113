import { hash, randomBytes } from "node:crypto";
import { z } from "zod";
import { ReputeError } from "./core/errors.js";
import { parseOrThrow } from "./core/validate.js";
import { type ApiKeyRecord, type ApiKeyRole, apiKeyRoles } from "./store/api-key-record.js";
import type { Store } from "./store/store.js";

const KEY_PREFIX = "rpk_";

const createSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a letter or digit, then letters, digits and . _ - only"),
  role: z.enum(apiKeyRoles as [ApiKeyRole, ...ApiKeyRole[]]),
});

/** SHA-256 of a key: keys are 256 random bits, so a fast hash is enough to store them safely. */
export function hashApiKey(key: string): string {
  return hash("sha256", key, "hex");
}

/** True when a key of role `have` may do what needs role `need` (read < app < admin). */
export function roleAllows(have: ApiKeyRole, need: ApiKeyRole): boolean {
  return apiKeyRoles.indexOf(have) >= apiKeyRoles.indexOf(need);
}

/** How long an authenticated key is trusted without asking the store again. */
export const API_KEY_CACHE_MS = 5_000;

/**
 * API keys for the HTTP service: created with a role, shown once, stored hashed,
 * revoked by name. Lookups are cached for 5 seconds per process, so a busy service
 * does not ask the database on every request; revoking through this process takes
 * effect at once, through another process within those 5 seconds.
 *
 * @example
 * const { key } = await repute.apiKeys.create({ name: "web", role: "app" });
 * // send as: Authorization: Bearer <key>
 */
export class ApiKeys {
  private readonly cache = new Map<string, { record: ApiKeyRecord | null; until: number }>();
  /** Moves on at each revocation, so a lookup that began before one is not cached after it. */
  private revocations = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
  ) {}

  /** Creates a key; the returned `key` is the only time the secret is ever shown. */
  async create(input: { name: string; role: ApiKeyRole }): Promise<{ key: string; record: ApiKeyRecord }> {
    const { name, role } = parseOrThrow(createSchema, input, "API key");
    const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
    const record = await this.store.createApiKey({ name, role, hash: hashApiKey(key), prefix: key.slice(0, KEY_PREFIX.length + 6), createdAt: this.clock() });
    return { key, record };
  }

  /** Every key, revoked ones included (never the secrets). */
  async list(): Promise<ApiKeyRecord[]> {
    return this.store.apiKeys();
  }

  /** Revokes the active key with this name; KEY_NOT_FOUND when there is none. */
  async revoke(name: string): Promise<void> {
    if (!(await this.store.revokeApiKey(name, this.clock()))) {
      throw new ReputeError("KEY_NOT_FOUND", `no active API key is named "${name}"`, { name });
    }
    this.revocations++;
    this.cache.clear();
  }

  /** The active key a secret belongs to, or null. */
  async authenticate(key: string): Promise<ApiKeyRecord | null> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
    // Expiry is operational, not domain time: a monotonic clock, whatever clock the engine was given.
    // The cache is keyed by the secret as presented (it is in memory with the request anyway),
    // so a cached key costs no hashing.
    const now = performance.now();
    const hit = this.cache.get(key);
    if (hit !== undefined && hit.until > now) return hit.record;
    const revocations = this.revocations;
    const record = await this.store.apiKeyByHash(hashApiKey(key));
    if (revocations !== this.revocations) return record;
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(key, { record, until: now + API_KEY_CACHE_MS });
    return record;
  }
}
