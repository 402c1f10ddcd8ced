/**
 * Records are serialized with the native JSON.stringify (far faster than quoting strings in JS),
 * which cannot write a number it cannot hold (integers beyond 2^53) nor text we already have as
 * JSON. Such values travel as marker strings — a NUL, a per-process random token, then the raw
 * JSON text — and `restoreRaw` swaps them back into the serialized record. Input cannot forge a
 * marker without knowing the token.
 */
import { createRequire } from "node:module";

interface Markers {
  prefix: string;
  marker: RegExp;
  escapedPrefix: string;
}

/** Made on first use: loading node:crypto costs start-up time that most runs never need. */
let markers: Markers | undefined;

function makeMarkers(): Markers {
  const { randomBytes } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  const token = randomBytes(6).toString("hex");
  return {
    prefix: `\u0000${token}:`,
    marker: new RegExp(`"\\\\u0000${token}:((?:[^"\\\\]|\\\\.)*)"`, "g"),
    escapedPrefix: `\\u0000${token}:`,
  };
}

/** A string that serializes to `json` verbatim once the record passes through restoreRaw. */
export function rawMarker(json: string): string {
  return (markers ??= makeMarkers()).prefix + json;
}

/** Replaces every marker in serialized JSON by its raw text (markers may nest). */
export function restoreRaw(serialized: string): string {
  // No marker was ever made: nothing to restore.
  if (markers === undefined) return serialized;
  const { marker, escapedPrefix } = markers;
  let out = serialized;
  while (out.includes(escapedPrefix)) {
    out = out.replace(marker, (_m, body: string) => JSON.parse(`"${body}"`) as string);
  }
  return out;
}

/** Array-index-like names ("0", "123") would be put first by JS objects; such levels are written by hand. */
export function isIndexLikeName(name: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(name) && Number(name) < 4294967295;
}

/** JSON text of an object with keys written in the given order (used when a key is index-like). */
export function orderedJson(o: Record<string, unknown>, names: readonly string[]): string {
  let out = "{";
  for (const n of names) {
    // Records give every field a slot up front: an undefined one is an omitted field.
    if (!Object.hasOwn(o, n) || o[n] === undefined) continue;
    out += (out.length > 1 ? "," : "") + JSON.stringify(n) + ":" + JSON.stringify(o[n]);
  }
  return out + "}";
}
