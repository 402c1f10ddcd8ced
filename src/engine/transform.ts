/**
 * Transformations at run time (rename, copy, concat, split, mask; see schema/types.ts), called by
 * generated normalizers only for fields that declare them. They read the input as it arrived and
 * never modify it (a failed classification attempt must leave the event intact). Like coerce.ts,
 * they throw FieldError, or NEED_LOSSLESS when a number's literal text is needed.
 */
import { createRequire } from "node:module";
import { fail, isObject, show, toStr, type CoerceState } from "./coerce.js";
import type { MaskSpec } from "../language/types.js";

const INDEX = /^(?:0|[1-9][0-9]*)$/;

/** The value at a path of keys (numeric keys also index arrays); undefined when any step is missing. */
export function readPath(o: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = o;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      if (!INDEX.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else if (isObject(cur)) {
      // Own keys only: "constructor" or "__proto__" in a path are data, never the prototype.
      if (!Object.hasOwn(cur, seg)) return undefined;
      cur = cur[seg];
    } else {
      return undefined;
    }
  }
  return cur;
}

/** Text of a scalar the way a string field reads it (numbers keep their literal); objects and arrays fail. */
function text(v: unknown, c: CoerceState, what: string): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v) || isObject(v)) throw fail(`${what}: expected text, got ${show(v)}`);
  return toStr(v, c);
}

/** Joins the parts that are present (not missing, not null); null when none is. */
export function concat(o: Record<string, unknown>, paths: readonly (readonly string[])[], separator: string, c: CoerceState): string | null {
  let out: string | null = null;
  for (const path of paths) {
    const v = readPath(o, path);
    if (v === undefined || v === null) continue;
    const t = text(v, c, `concat of "${path.join(".")}"`);
    out = out === null ? t : out + separator + t;
  }
  return out;
}

/** All parts; an empty string has none. */
export function splitAll(v: unknown, separator: string, c: CoerceState): string[] {
  const t = text(v, c, "split");
  return t === "" ? [] : t.split(separator);
}

/** One part (negative indexes count from the end); undefined when there is no such part. */
export function splitAt(v: unknown, separator: string, index: number, c: CoerceState): string | undefined {
  const parts = splitAll(v, separator, c);
  return parts[index < 0 ? parts.length + index : index];
}

export type Masker = (v: unknown, c: CoerceState) => string;

/** An empty string stays empty: there is nothing to hide, and "***" would claim there was. */
export function masker(spec: MaskSpec): Masker {
  if (spec.type === "redact") {
    const to = spec.to;
    return (v) => {
      if (Array.isArray(v) || isObject(v)) throw fail(`mask: expected text, got ${show(v)}`);
      return v === "" ? "" : to;
    };
  }
  const { algorithm, salt } = spec;
  // node:crypto loads with the first hashing schema, not at every start-up.
  const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return (v, c) => {
    const t = text(v, c, "mask");
    return t === "" ? "" : createHash(algorithm).update(salt + t, "utf8").digest("hex");
  };
}
