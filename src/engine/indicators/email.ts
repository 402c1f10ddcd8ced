/**
 * email: a light plausibility check, not RFC 5322. After trimming, the value must contain
 * exactly one "@", something on both sides of it, and no whitespace. It is stored as written.
 * (Panther's engine only requires an "@" somewhere, so it accepts "@"; hexlog does not.)
 */
import { isSpaceCode } from "./chars.js";
import { EMAIL, type IndicatorScanner, type IndicatorSink } from "./fields.js";

/** True when `v` (already trimmed) passes hexlog's email check. */
export function looksLikeEmail(v: string): boolean {
  const len = v.length;
  let at = -1;
  for (let i = 0; i < len; i++) {
    const c = v.charCodeAt(i);
    if (c === 64 /* @ */) {
      if (at !== -1) return false;
      at = i;
    } else if (isSpaceCode(c)) {
      return false;
    }
  }
  return at > 0 && at < len - 1;
}

export const email: IndicatorScanner = {
  name: "email",
  fields: [EMAIL],
  scan(value: string, sink: IndicatorSink): void {
    // Fast exit for the common case of a field that holds no address at all.
    if (value.indexOf("@") === -1) return;
    const v = value.trim();
    if (looksLikeEmail(v)) sink.add(EMAIL, v);
  },
};
