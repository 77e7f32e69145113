import { existsSync } from "node:fs";
import { z } from "zod";
import { canonicalJson } from "./core/canonical-json.js";
import { ReputeError, isReputeError } from "./core/errors.js";
import { RuleBook } from "./core/rule-book.js";
import { type PresetName, isPresetName, presets } from "./core/rules/presets/index.js";
import { type ReputeConfig, type ReputeConfigInput, parseConfig, reputeConfigSchema } from "./core/rules/repute-config.js";
import { TopicTree } from "./core/topic-tree.js";
import { parseOrThrow } from "./core/validate.js";
import { contentHash } from "./content-hash.js";
import { Repute } from "./repute.js";
import { isPostgresUrl, openStore } from "./store/open-store.js";
import type { Store } from "./store/store.js";

/** Options of `openRepute`. */
export interface OpenReputeOptions {
  /** A SQLite file (default `./repute.db`), `:memory:`, a `postgres://` URL, or an opened store. */
  db?: string | Store;
  /**
   * The configuration: an object, or a preset name. Omitted: the configuration the
   * database last used, or the `qa` preset for a new database.
   */
  config?: ReputeConfigInput | PresetName;
  /** Epoch milliseconds now; defaults to the system clock. Tests and replays pass their own. */
  clock?: () => number;
  /** SQLite durability (see SqliteStoreOptions). */
  durability?: "normal" | "full";
}

const openOptionsSchema = z.strictObject({
  db: z.union([
    z.string().min(1, "a file path, :memory: or a postgres:// URL"),
    z.custom<Store>((v) => typeof v === "object" && v !== null && typeof (v as Store).submit === "function", "a file path, :memory:, a postgres:// URL or an opened Store"),
  ]).optional(),
  // Checked by parseConfig (or as a preset name) below, with every failing path.
  config: z.unknown().optional(),
  clock: z.custom<() => number>((v) => typeof v === "function", "a function returning epoch milliseconds").optional(),
  durability: z.enum(["normal", "full"]).optional(),
});

/**
 * Opens a Repute engine on a database, migrating it when needed and recording the
 * configuration's rules version.
 *
 * @example
 * const repute = await openRepute({ db: "./repute.db", config: "qa" });
 * await repute.submit({ id: "p1", type: "post", actor: "7", target: { type: "question", id: "1", author: "7" } });
 * (await repute.reputation("7")).topics[0].points // 5
 */
export async function openRepute(input: OpenReputeOptions = {}): Promise<Repute> {
  // An unknown or misspelt option is refused, not ignored: `durabilty: "full"` would open at normal.
  const options = parseOrThrow(openOptionsSchema, input, "openRepute options") as OpenReputeOptions;
  const clock = options.clock ?? Date.now;
  // A configuration given is checked before the database is opened: a refused one creates no file.
  const given = options.config === undefined ? undefined : parseConfig(typeof options.config === "string" ? presetConfig(options.config) : options.config);
  const location = typeof options.db === "object" ? null : (options.db ?? "./repute.db");
  // A new SQLite file holds no topics yet, so its tree can be checked before the file exists.
  if (given !== undefined && location !== null && isNewFile(location)) await configTopics(() => new TopicTree().planAll(given.topics.tree));
  const store = location === null ? (options.db as Store) : await openStore(location, options.durability === undefined ? {} : { durability: options.durability });
  try {
    const config = given ?? parseConfig((await store.latestConfig()) ?? presets.qa);
    // Its topics go in before it is recorded, so a tree the database cannot take records nothing.
    await configTopics(() => store.addTopics(config.topics.tree, clock()));
    const version = await store.registerConfig(config, configHash(config), clock());
    const book = new RuleBook(config, version, await earlierBooks(store, version));
    // A changed publication schedule splits every snapshot again, as a rebuild under it would.
    await store.followPublication(book, book.publication.period(clock()));
    return new Repute(store, book, clock);
  } catch (e) {
    if (location !== null) await store.close();
    throw e;
  }
}

/** A SQLite file that does not exist yet (opening it would create it). */
function isNewFile(location: string): boolean {
  return !isPostgresUrl(location) && location !== ":memory:" && !existsSync(location);
}

/** A configuration's rules-version hash. `$schema` only points an editor at the schema, so it is left out. */
function configHash(config: ReputeConfig): string {
  const { $schema: _, ...rules } = config;
  return contentHash(canonicalJson(rules));
}

/**
 * Runs `add` on a configuration's `topics.tree`. An entry it cannot take (an unknown
 * parent, a topic that exists under another parent) is a mistake in the configuration:
 * CONFIG_INVALID, naming the entry's path.
 */
async function configTopics<T>(add: () => T | Promise<T>): Promise<T> {
  try {
    return await add();
  } catch (e) {
    if (!isReputeError(e) || (e.code !== "TOPIC_NOT_FOUND" && e.code !== "TOPIC_CONFLICT")) throw e;
    const path = `topics.tree[${String(e.details?.index)}]`;
    throw new ReputeError("CONFIG_INVALID", `invalid config: ${path}: ${e.message}`, { issues: [{ path, message: e.message }] }, { cause: e });
  }
}

/**
 * The books of a database's other rules versions, to tell the reasons of the entries
 * they applied. A version whose configuration no longer parses (written by another
 * release) is left out: its entries' reasons fall back to the current rules.
 */
async function earlierBooks(store: Store, current: number): Promise<Map<number, RuleBook>> {
  const books = new Map<number, RuleBook>();
  for (const { version, config } of await store.rulesVersions()) {
    if (version === current) continue;
    const parsed = reputeConfigSchema.safeParse(config);
    if (parsed.success) books.set(version, new RuleBook(parsed.data, version));
  }
  return books;
}

function presetConfig(name: string): ReputeConfigInput {
  if (!isPresetName(name)) throw new ReputeError("CONFIG_INVALID", `unknown preset "${name}" (known: ${Object.keys(presets).join(", ")})`);
  return presets[name];
}
