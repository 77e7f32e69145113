import pg from "pg";

/** BIGINT and NUMERIC (sums) as numbers: every value Repute stores fits a double exactly. */
export const pgNumberTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  },
};
