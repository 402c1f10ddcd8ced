/**
 * Timestamp formats: `compileTimeFormat` turns a schema's `timeFormat` value into a TimeFormat,
 * once per schema; the returned object never looks at the spec text again.
 */

import { cloudflareFormat } from "./cloudflare.js";
import { TimeFormatError, type TimeFormat } from "./format.js";
import { compileGoLayout } from "./golayout.js";
import { rfc3339Format } from "./rfc3339.js";
import { compileStrftime } from "./strftime.js";
import { unixMicrosFormat, unixMillisFormat, unixNanosFormat, unixSecondsFormat } from "./unix.js";

export { TimeFailure, TimeFormatError } from "./format.js";
export type { TimeContext, TimeFormat } from "./format.js";
export {
  compareInstants,
  formatInstant,
  instantFromCivil,
  instantFromEpochNanos,
  instantInRange,
  instantsEqual,
  instantToEpochNanos,
  MAX_INSTANT,
  MIN_INSTANT,
  parseRfc3339,
} from "./instant.js";
export type { Instant } from "./instant.js";
export { STRFTIME_DIRECTIVES } from "./strftime.js";
export { ZONE_ABBREVIATIONS } from "./zones.js";

const LAYOUT_PREFIX = "layout=";

/** The named formats; anything else is `layout=…` or strftime. */
export const BUILTIN_TIME_FORMATS: ReadonlyMap<string, TimeFormat> = new Map([
  ["rfc3339", rfc3339Format],
  ["unix", unixSecondsFormat],
  ["unix_ms", unixMillisFormat],
  ["unix_us", unixMicrosFormat],
  ["unix_ns", unixNanosFormat],
  ["cloudflare", cloudflareFormat],
]);

/** Compiles a `timeFormat` value, or says why it cannot be used. */
export function compileTimeFormat(spec: string): TimeFormat | TimeFormatError {
  const builtin = BUILTIN_TIME_FORMATS.get(spec);
  if (builtin !== undefined) return builtin;
  if (spec === "") return new TimeFormatError("time format is empty");
  if (spec.startsWith(LAYOUT_PREFIX)) return compileGoLayout(spec, spec.slice(LAYOUT_PREFIX.length));
  return compileStrftime(spec);
}
