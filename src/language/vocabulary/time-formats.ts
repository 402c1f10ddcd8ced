/**
 * Time formats a `timeFormat` may name: the named ones, and two families written as patterns
 * (strftime directives, Go reference layouts). The engine implements each under the same name
 * (`Record<TimeFormatName, …>` in engine/time/), so a name without an implementation does not
 * compile.
 */

export const NAMED_TIME_FORMATS = {
  rfc3339: "RFC 3339 with T, t or a space, Z or an offset, 0–9 fraction digits; also the data lake's zone-less form (UTC).",
  unix: "Seconds since the epoch (number or string, fraction allowed).",
  unix_ms: "Milliseconds since the epoch.",
  unix_us: "Microseconds since the epoch.",
  unix_ns: "Nanoseconds since the epoch.",
  cloudflare: "RFC 3339, or an integer: seconds below 60,000,000,000, nanoseconds above.",
} as const satisfies Record<string, string>;

export type TimeFormatName = keyof typeof NAMED_TIME_FORMATS;

export const TIME_FORMAT_NAMES = Object.keys(NAMED_TIME_FORMATS) as readonly TimeFormatName[];

/** The families of formats written as a pattern, in the order a spec is recognized. */
export const TIME_FORMAT_FAMILIES = {
  layout: { prefix: "layout=", jsonPattern: "^layout=", description: "layout=<Go reference layout>, e.g. layout=01/02/2006 15:04:05.999" },
  strftime: { prefix: "", jsonPattern: "%", description: "a strftime format such as '%Y-%m-%d %H:%M:%S'" },
} as const;

export type TimeFormatFamily = keyof typeof TIME_FORMAT_FAMILIES;

export function isTimeFormatName(spec: string): spec is TimeFormatName {
  return Object.hasOwn(NAMED_TIME_FORMATS, spec);
}

/** Which kind of format a (non-empty) spec is: a name, or the family that reads its pattern. */
export function timeFormatKind(spec: string): { name: TimeFormatName } | { family: TimeFormatFamily; pattern: string } {
  if (isTimeFormatName(spec)) return { name: spec };
  if (spec.startsWith(TIME_FORMAT_FAMILIES.layout.prefix)) return { family: "layout", pattern: spec.slice(TIME_FORMAT_FAMILIES.layout.prefix.length) };
  return { family: "strftime", pattern: spec };
}

/** A spec that looks like a pattern of a family (a misspelt name does not: it gets a suggestion). */
export function looksLikePattern(spec: string): boolean {
  return spec.includes("%") || spec.startsWith(TIME_FORMAT_FAMILIES.layout.prefix);
}
