/**
 * Character-class helpers shared by the scanners. They work on UTF-16 code units so the hot
 * path never builds a RegExp match object or a substring just to classify text.
 */

/** True for 0-9, a-f, A-F. */
export function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** True for 0-9, a-f (lowercase only). */
export function isLowerHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

/** True for ASCII 0-9. */
export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True when `s[from, from+len)` is all hex digits (any case). Assumes the range is in bounds. */
export function isHexRun(s: string, from: number, len: number): boolean {
  for (let i = from, end = from + len; i < end; i++) {
    if (!isHexCode(s.charCodeAt(i))) return false;
  }
  return true;
}

/**
 * True for code units that String.prototype.trim would strip: ASCII whitespace and the Unicode
 * White_Space characters (plus U+FEFF, which JS also treats as whitespace).
 */
export function isSpaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
