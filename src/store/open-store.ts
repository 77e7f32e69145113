import { PostgresStore } from "./postgres/postgres-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

/** Where the data lives: a SQLite file path (or `:memory:`), or a `postgres://` URL. */
export type DatabaseLocation = string;

/** True when the location names a PostgreSQL server. */
export function isPostgresUrl(location: DatabaseLocation): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store a location names: PostgreSQL for a `postgres://` URL, else a SQLite file. */
export async function openStore(location: DatabaseLocation, options: { durability?: "normal" | "full"; now?: number } = {}): Promise<Store> {
  if (isPostgresUrl(location)) return PostgresStore.open(location, options.now ?? Date.now());
  return SqliteStore.open({ path: location, ...(options.durability === undefined ? {} : { durability: options.durability }) });
}
