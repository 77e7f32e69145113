/**
 * A whole number written in decimal digits, with an optional minus sign; NaN for any
 * other text. `Number` alone would read "" and " " as 0 and take `1e3`, `0x10` and
 * `+5`, which in a flag, a setting or a URL parameter are mistakes. Ranges are checked
 * where the number is used.
 */
export function wholeNumber(text: string): number {
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}
