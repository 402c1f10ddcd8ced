/**
 * Timestamp formats: `compileTimeFormat` turns a schema's `timeFormat` value into a TimeFormat,
 * once per schema; the returned object never looks at the spec text again. The names and the
 * families are the language's (language/vocabulary/time-formats.ts); each has its code here.
 */
import { timeFormatKind, type TimeFormatFamily, type TimeFormatName } from "../../language/vocabulary/time-formats.js";

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

/** The named formats, one implementation per name of the vocabulary. */
const NAMED_FORMATS: Readonly<Record<TimeFormatName, TimeFormat>> = {
  rfc3339: rfc3339Format,
  unix: unixSecondsFormat,
  unix_ms: unixMillisFormat,
  unix_us: unixMicrosFormat,
  unix_ns: unixNanosFormat,
  cloudflare: cloudflareFormat,
};

/** The compiler of each family of formats written as patterns (spec: the whole value, for messages). */
const FAMILIES: Readonly<Record<TimeFormatFamily, (spec: string, pattern: string) => TimeFormat | TimeFormatError>> = {
  layout: compileGoLayout,
  strftime: compileStrftime,
};

/** Compiles a `timeFormat` value, or says why it cannot be used. */
export function compileTimeFormat(spec: string): TimeFormat | TimeFormatError {
  if (spec === "") return new TimeFormatError("time format is empty");
  const kind = timeFormatKind(spec);
  return "name" in kind ? NAMED_FORMATS[kind.name] : FAMILIES[kind.family](spec, kind.pattern);
}
