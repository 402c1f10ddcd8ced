/** Reading values out of events and records by a path of keys, for tools that look at samples. */
import { LosslessNumber } from "../engine/lossless-json.js";

/** A path step meaning "each element of the array here". */
export const ELEMENT = "[]";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof LosslessNumber);
}

/** The values at a path of keys (ELEMENT: each element of an array); nulls left out. */
export function valuesAt(root: unknown, path: readonly string[]): unknown[] {
  let level: unknown[] = [root];
  for (const key of path) {
    const next: unknown[] = [];
    for (const v of level) {
      if (key === ELEMENT) {
        if (Array.isArray(v)) next.push(...(v as unknown[]));
      } else if (isObject(v) && Object.hasOwn(v, key)) {
        next.push(v[key]);
      }
    }
    level = next;
  }
  return level.filter((v) => v !== null && v !== undefined);
}
