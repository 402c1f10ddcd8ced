/**
 * expandFields: new fields built from templates such as `'%{year}-%{month}-%{day}'`, which
 * reference fields extracted from the line (or expanded earlier, in declaration order).
 */
import { splitPlaceholders } from "./placeholders.js";

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
      // A dense object (TextPipeline.builder) holds undefined for a field the line left out.
      if (Object.hasOwn(fields, name)) out += fields[name] ?? "";
      out += p[i + 1] as string;
    }
    return out;
  }
}

/** Compiles a template, or returns what is wrong with it. */
export function compileTemplate(key: string, text: string): Template | string {
  const split = splitPlaceholders(text);
  if (typeof split === "string") return split;
  const { literals, names, starts } = split;
  const empty = names.indexOf("");
  if (empty >= 0) return `empty reference %{} at character ${(starts[empty] as number) + 1}`;
  const parts: string[] = [literals[0] as string];
  names.forEach((name, i) => parts.push(name, literals[i + 1] as string));
  return new Template(key, parts);
}
