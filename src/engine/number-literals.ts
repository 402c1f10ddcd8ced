/**
 * Which events the fast path (JSON.parse, JSON.stringify) would write with a number literal
 * changed: `1.0` → `1`, `-0` → `0`, `1e400` → `null`, digits beyond 2^53 rounded. Only json
 * fields write numbers as they were read, so only they need the lossless reader; this test
 * keeps the other events on the fast path.
 */

/**
 * A whole number token, where one can stand outside a string (after `:`, `,`, `[` or at the
 * start, then JSON whitespace, and up to `,`, `}`, `]`, whitespace or the end), whose text
 * JSON.stringify might not give back: `-0`, 16 digits or more, an exponent, a fraction ending in
 * 0, or six zeros after `0.`. The other literals (at most 15 digits, no exponent) a double
 * holds and prints back exactly. Over-approximate on purpose: no false negatives outside
 * strings; inside a string only text like `: 1.0,` matches, which costs a slower, still exact,
 * read. Times such as `"08:02:11.480Z"` do not match: a token must end where a number ends.
 */
const INEXACT_LITERAL =
  /(?:^|[:,[])[ \t\n\r]*(?=-0(?:[ \t\n\r,}\]]|$)|-?[0-9]{16}|-?[0-9.]{17}|-?[0-9.]*[eE]|-?[0-9]+\.[0-9]*0(?![0-9])|-?0\.0{6})-?[0-9][0-9.eE+-]*(?:[ \t\n\r,}\]]|$)/;

/** Whether some number literal in this JSON text might not survive JSON.parse + JSON.stringify. */
export function mayHoldInexactNumber(jsonText: string): boolean {
  return INEXACT_LITERAL.test(jsonText);
}

/** Whether a parsed JSON value holds a number anywhere (a json field without one is exact). */
export function holdsNumber(v: unknown, depth = 0): boolean {
  if (typeof v === "number") return true;
  if (typeof v !== "object" || v === null) return false;
  // Deeper than any event the lossless reader accepts: let it decide.
  if (depth > 1000) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (holdsNumber(v[i], depth + 1)) return true;
    return false;
  }
  for (const k in v) if (holdsNumber((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}
