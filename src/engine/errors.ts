/**
 * How an event fails inside the engine. Generated normalizers throw these (cheaper than returning
 * them through every level); the engine boundary turns them into plain values.
 */

export type FieldPath = Array<string | number>;

export class FieldError {
  constructor(
    readonly path: FieldPath,
    readonly message: string,
  ) {}
}

/** Thrown when the fast path saw a number whose literal text matters; the event is re-read losslessly. */
export const NEED_LOSSLESS: unique symbol = Symbol("need-lossless");

/** Prefixes a path segment onto an error travelling up through nested objects and arrays. */
export function at(e: unknown, segment: string | number): unknown {
  if (e instanceof FieldError) e.path.unshift(segment);
  return e;
}

/** `event.targets[2].id` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}
