import { ValidationError } from '../src/errors.js';

/** The code of the first issue of the ValidationError `fn` throws; undefined when it returns. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues[0]?.code;
    throw e;
  }
  return undefined;
}

/** The path of the first issue of the ValidationError `fn` throws. */
export function pathOf(fn: () => unknown): (string | number)[] | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues[0]?.path;
    throw e;
  }
  return undefined;
}
