import { type SqlProgram, all, run } from "./sql-program.js";

/**
 * Inside the caller's transaction: records `key` (Publication.key) as the schedule the
 * snapshots follow (meta `publication`). Returns true when they were split under
 * another one: the watermark is then set to `period`, the one the clock is in, and the
 * caller rebuilds. A new database has no schedule yet, and nothing to split again.
 */
export function* publicationSwitch(key: string, period: number): SqlProgram<boolean> {
  const [kept] = yield all("SELECT value FROM meta WHERE key = 'publication'");
  if (kept?.value === key) return false;
  yield run("INSERT INTO meta (key, value) VALUES ('publication', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key]);
  if (kept === undefined) return false;
  yield run("UPDATE meta SET value = ? WHERE key = 'watermark'", [String(period)]);
  return true;
}
