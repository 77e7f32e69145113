import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

/** Where the data lives: a SQLite file path (or `:memory:`), or a `postgres://` URL. */
export type DatabaseLocation = string;

/** True when the location names a PostgreSQL server. */
export function isPostgresUrl(location: DatabaseLocation): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store a location names. */
export async function openStore(location: DatabaseLocation, options: { durability?: "normal" | "full" } = {}): Promise<Store> {
  return SqliteStore.open({ path: location, ...(options.durability === undefined ? {} : { durability: options.durability }) });
}
