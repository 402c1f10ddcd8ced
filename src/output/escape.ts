/**
 * Text from input (values, keys, file names, YAML) on its way to a person. A terminal obeys
 * control characters: `ESC ] 0;…BEL` retitles it, `ESC [2J` clears it, a bidi override makes
 * `evil.exe‮gpj.` read as something else. Each such character becomes its `\uXXXX` form, so
 * what the data holds is shown, never done. NDJSON on stdout does not need this: JSON.stringify
 * already escapes C0, and that output is data for programs.
 */

/**
 * C0 controls (newline and tab included: a value must not start a line of its own), DEL, C1
 * controls, the Arabic letter mark, LRM/RLM, the bidi embeddings and overrides (U+202A–E),
 * the isolates (U+2066–9), the Unicode line and paragraph separators, and lone surrogate halves
 * (not text; a terminal shows them as garbage). Applied to JSON text the result is still JSON
 * with the same value: these characters only ever appear inside its strings.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_ONE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function hex(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** One line of text, safe for a terminal: every control or bidi character as `\u001b`. */
export function escapeText(text: string): string {
  // Nearly all text is clean: test once before building a new string.
  return UNSAFE_ONE.test(text) ? text.replace(UNSAFE, hex) : text;
}

/** Several lines of our own making (newlines kept) whose content may hold input text. */
export function escapeLines(text: string): string {
  return text.split("\n").map(escapeText).join("\n");
}
