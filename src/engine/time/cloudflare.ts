/**
 * `timeFormat: cloudflare`, the format Panther's managed Cloudflare schemas use: Cloudflare's
 * Logpush writes RFC 3339 strings, unix seconds or unix nanoseconds depending on a job setting.
 * A string is read as RFC 3339 first; a number (or a numeric string) is seconds when below
 * 60,000,000,000 (year 3871) and nanoseconds otherwise (no real ns value is that small).
 */

import { quoteValue } from "./civil.js";
import { TimeFailure, type TimeFormat } from "./format.js";
import { normalizeRfc3339 } from "./rfc3339.js";
import { decimal, decimalNanos, nanosToText, scanDecimal } from "./unix.js";

const THRESHOLD_DIGITS = "60000000000";

/** Whether the last scanDecimal value is below 60,000,000,000. */
function belowThreshold(): boolean {
  const { digits } = decimal;
  if (decimal.negative || digits === "") return true;
  const integerDigits = digits.length + decimal.scale;
  if (integerDigits !== THRESHOLD_DIGITS.length) return integerDigits < THRESHOLD_DIGITS.length;
  // Same number of integer digits: compare them as text (equal-length digit strings sort numerically).
  const integerPart = (digits + "0".repeat(THRESHOLD_DIGITS.length)).slice(0, THRESHOLD_DIGITS.length);
  return integerPart < THRESHOLD_DIGITS;
}

function fromNumber(text: string): string | TimeFailure {
  if (!scanDecimal(text)) {
    return new TimeFailure(`expected unix seconds or nanoseconds for cloudflare, got ${quoteValue(text)}`);
  }
  // Seconds may carry a fraction; nanoseconds beyond the integer are truncated, as unix does.
  return nanosToText(decimalNanos(belowThreshold() ? 9 : 0), "cloudflare", text);
}

function fromString(text: string): string | TimeFailure {
  const asRfc3339 = normalizeRfc3339(text);
  if (!(asRfc3339 instanceof TimeFailure) || !scanDecimal(text)) return asRfc3339;
  return fromNumber(text);
}

export const cloudflareFormat: TimeFormat = { spec: "cloudflare", fromString, fromNumber };
