import { z } from "zod";

/**
 * A whole number written in decimal digits, with an optional minus sign; NaN for any
 * other text. `Number` alone would read "" and " " as 0 and take `1e3`, `0x10` and
 * `+5`, which in a flag, a setting or a URL parameter are mistakes. Ranges are checked
 * where the number is used.
 */
export function wholeNumber(text: string): number {
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}

/** `schema` (a number's) for a value that may come as text: text is read by `wholeNumber`, so anything but digits fails `schema`. */
export function fromDigits<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === "string" ? wholeNumber(v) : v), schema);
}
