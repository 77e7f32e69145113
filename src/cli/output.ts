/** Prints a value as indented JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Formats rows as an aligned text table; numbers align right. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number"));
  return cells
    .map((r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join("  ").trimEnd())
    .join("\n");
}

/** Prints a table, or a line saying there is nothing to show. */
export function printTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, empty = "(nothing)"): void {
  process.stdout.write(`${rows.length === 0 ? empty : formatTable(header, rows)}\n`);
}

/** A signed number as people write it: +5, -2. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** A count with its noun as people write it: "1 action", "2 actions", "1 entry", "3 entries". */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
