/**
 * Text from input (YAML names, values, file names) made safe for a terminal: control characters,
 * bidi overrides and other invisible format characters are shown as \u escapes instead of acting.
 */
// C0 (tab aside), DEL, C1, and the bidi / zero-width format characters.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
