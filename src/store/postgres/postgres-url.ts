import { ReputeError } from "../../core/errors.js";
import { wholeNumber } from "../../core/whole-number.js";

/** A parsed `postgres://` location: the connection string for `pg`, the schema, the pool size. */
export interface PostgresLocation {
  connectionString: string;
  schema: string;
  poolSize: number;
  /** The URL's own `options` (server settings such as `-c statement_timeout=5000`), if any. */
  options?: string | undefined;
}

/**
 * Parses `postgres://user@host:5432/db?schema=repute&pool=10`. `schema` (default
 * `public`) and `pool` (default 10) are Repute's own; `options` is passed on with the
 * schema's search path after it (in the URL, `pg` would let it replace that path); every
 * other parameter goes to `pg`.
 */
export function parsePostgresUrl(location: string): PostgresLocation {
  let url: URL;
  try {
    url = new URL(location);
  } catch (e) {
    throw new ReputeError("CONFIG_INVALID", "the database URL is not a valid postgres:// URL", {}, { cause: e });
  }
  const schema = url.searchParams.get("schema") ?? "public";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new ReputeError("CONFIG_INVALID", `schema "${schema}" must be a plain identifier (letters, digits, _)`);
  }
  const pool = wholeNumber(url.searchParams.get("pool") ?? "10");
  if (!Number.isInteger(pool) || pool < 1 || pool > 1000) throw new ReputeError("CONFIG_INVALID", "pool must be a whole number from 1 to 1000");
  const options = url.searchParams.get("options") ?? undefined;
  for (const own of ["schema", "pool", "options"]) url.searchParams.delete(own);
  return { connectionString: url.toString(), schema, poolSize: pool, options };
}
