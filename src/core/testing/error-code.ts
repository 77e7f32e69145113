import { isReputeError } from "../errors.js";

/** The catalogue code `fn` throws, or undefined when it returns; anything else it throws is rethrown. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isReputeError(e)) return e.code;
    throw e;
  }
  return undefined;
}
