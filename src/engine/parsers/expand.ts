/**
 * expandFields: new fields built from templates such as `'%{year}-%{month}-%{day}'`, which
 * reference fields extracted from the line (or expanded earlier, in declaration order).
 */

export class Template {
  /** Literal text and field names alternating: [text, name, text, name, …, text]. */
  constructor(
    readonly key: string,
    private readonly parts: readonly string[],
  ) {}

  /** The text with every reference replaced by its value ("" for fields that are absent). */
  render(fields: Readonly<Record<string, string>>): string {
    const p = this.parts;
    let out = p[0] as string;
    for (let i = 1; i < p.length; i += 2) {
      const name = p[i] as string;
      if (Object.hasOwn(fields, name)) out += fields[name];
      out += p[i + 1] as string;
    }
    return out;
  }
}

/** Compiles a template, or returns what is wrong with it. */
export function compileTemplate(key: string, text: string): Template | string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf("%{", from);
    if (open < 0) break;
    const close = text.indexOf("}", open + 2);
    if (close < 0) return `"%{" at character ${open + 1} is not closed by "}"`;
    const name = text.slice(open + 2, close).trim();
    if (name === "") return `empty reference %{} at character ${open + 1}`;
    parts.push(text.slice(from, open), name);
    from = close + 1;
  }
  parts.push(text.slice(from));
  return new Template(key, parts);
}
