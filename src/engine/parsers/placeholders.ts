/** `%{name}` placeholders in a pattern or template, shared by fastmatch and expandFields. */

export interface Placeholders {
  /** The text around the placeholders: one more entry than `names`. */
  literals: string[];
  /** Each placeholder's name, trimmed ("" for `%{}`). */
  names: string[];
  /** Where each placeholder starts (index of its `%`). */
  starts: number[];
}

/** Splits `text` at its placeholders, or says which one is not closed. */
export function splitPlaceholders(text: string): Placeholders | string {
  const literals: string[] = [];
  const names: string[] = [];
  const starts: number[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf("%{", from);
    if (open < 0) break;
    const close = text.indexOf("}", open + 2);
    if (close < 0) return `"%{" at character ${open + 1} is not closed by "}"`;
    literals.push(text.slice(from, open));
    names.push(text.slice(open + 2, close).trim());
    starts.push(open);
    from = close + 1;
  }
  literals.push(text.slice(from));
  return { literals, names, starts };
}
