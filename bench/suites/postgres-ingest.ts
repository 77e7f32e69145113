import { randomBytes } from "node:crypto";
import pg from "pg";
import { openRepute } from "../../src/open-repute.js";
import { pgNumberTypes } from "../../src/store/postgres/pg-number-types.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { NOW, submitAll, upvotes } from "../harness/fixtures.js";
import { RecordingPool, replayPg } from "../harness/recording-pg.js";
import { type Comparison, type Pair, compare, interleaved } from "../harness/stats.js";

const USERS = 100_000;

/** The PostgreSQL server benchmarks use, if any. */
export const benchPostgresUrl = process.env.REPUTE_BENCH_DATABASE_URL || process.env.REPUTE_TEST_DATABASE_URL || undefined;


function poolFor(schema: string): pg.Pool {
  return new pg.Pool({ connectionString: benchPostgresUrl, options: `-c search_path=${schema}`, types: pgNumberTypes, max: 4 });
}

function urlFor(schema: string): string {
  const url = new URL(benchPostgresUrl as string);
  url.searchParams.set("schema", schema);
  url.searchParams.set("pool", "4");
  return url.toString();
}


/**
 * 8: ingest on PostgreSQL against raw `pg` running the same statements — recorded
 * from the engine in an untimed run (advisory locks, loads and the multi-row writes),
 * replayed on a pooled client with the same transaction boundaries. Skipped without
 * a server (REPUTE_BENCH_DATABASE_URL or REPUTE_TEST_DATABASE_URL).
 */
export async function postgresIngest(quick: boolean): Promise<Comparison[]> {
  if (benchPostgresUrl === undefined) return [];
  const schemas: string[] = [];
  const fresh = () => {
    const s = `repute_bench_${randomBytes(5).toString("hex")}`;
    schemas.push(s);
    return s;
  };
  const out: Comparison[] = [];
  try {
    for (const [name, batch, n] of [
      ["8. ingest on PostgreSQL, one action per transaction", 1, quick ? 300 : 3_000],
      ["8. ingest on PostgreSQL, 1000 actions per transaction", 1000, quick ? 5_000 : 50_000],
    ] as const) {
      // Recorded once, in an untimed run; every repetition submits the same actions to a
      // new engine and replays the recording in a new schema.
      const actions = upvotes(n, USERS);
      const recSchema = fresh();
      const recording = new RecordingPool(poolFor(recSchema));
      const rec = await openRepute({ db: await PostgresStore.fromPool(recording, recSchema, NOW), config: "qa", clock: () => NOW });
      recording.transactions.length = 0;
      await submitAll(rec, actions, batch);
      await rec.close();
      const txs = recording.transactions;
      const pairs: Pair[] = [];
      for (let r = 0; r < (quick ? 2 : 3); r++) {
        const engine = await openRepute({ db: urlFor(fresh()), config: "qa", clock: () => NOW });
        const baseSchema = fresh();
        await (await openRepute({ db: urlFor(baseSchema), config: "qa", clock: () => NOW })).close();
        const raw = poolFor(baseSchema);
        const chunks = 5;
        const per = n / chunks;
        pairs.push(
          await interleaved(
            chunks,
            per,
            (c) => submitAll(engine, actions.slice(c * per, (c + 1) * per), batch),
            (c) => replayPg(raw, txs.slice((c * per) / batch, ((c + 1) * per) / batch)),
          ),
        );
        await engine.close();
        await raw.end();
      }
      out.push(compare(name, "actions/s", pairs, 0.5, `${n} qa upvotes among ${USERS} users, ${batch} per transaction; baseline: raw pg running the engine's recorded statements`));
    }
  } finally {
    const admin = new pg.Client({ connectionString: benchPostgresUrl });
    await admin.connect();
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  }
  return out;
}
