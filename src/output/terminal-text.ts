/**
 * Text from input on its way to a terminal: control characters (C0, DEL, C1), bidi controls and
 * line or paragraph separators could move the cursor, recolour or reorder what follows, so each
 * becomes a `\uXXXX` escape. Applied to JSON text the result is still valid JSON with the same
 * value (these characters only ever appear inside its strings).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
