/**
 * A small, strict XML reader for checking hexlog's JUnit output: it throws on anything that is not
 * well-formed (unbalanced or misnested tags, unquoted or duplicate attributes, a raw `<` or `&`,
 * unknown entities, characters XML 1.0 forbids, text outside the root) and returns the tree.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_][\w.-]*/y;
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function parseXml(src: string): XmlElement {
  if (FORBIDDEN.test(src)) throw new Error("a character XML 1.0 does not allow");
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${i}`);
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) fail("expected a name");
    i += (m as RegExpExecArray)[0].length;
    return (m as RegExpExecArray)[0];
  };
  const space = (): void => {
    while (i < src.length && /\s/.test(src[i] as string)) i++;
  };
  const decode = (raw: string): string => {
    if (raw.includes("<")) fail("raw < in text");
    return raw.replace(/&([^;]*);|&/g, (_m, ent: string | undefined) => {
      if (ent === undefined) return fail("raw & in text");
      if (ent.startsWith("#x")) return String.fromCodePoint(parseInt(ent.slice(2), 16));
      if (ent.startsWith("#")) return String.fromCodePoint(parseInt(ent.slice(1), 10));
      const v = ENTITIES[ent];
      return v ?? fail(`unknown entity &${ent};`);
    });
  };

  if (src.startsWith("<?xml")) {
    const end = src.indexOf("?>");
    if (end < 0) fail("unterminated declaration");
    i = end + 2;
  }
  space();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < src.length) {
    if (src[i] !== "<") {
      const next = src.indexOf("<", i);
      const raw = src.slice(i, next < 0 ? src.length : next);
      const top = stack[stack.length - 1];
      if (!top) {
        if (raw.trim() !== "") fail("text outside the root element");
      } else {
        top.text += decode(raw);
      }
      i = next < 0 ? src.length : next;
      continue;
    }
    if (src.startsWith("</", i)) {
      i += 2;
      const n = name();
      space();
      if (src[i] !== ">") fail("expected >");
      i++;
      const open = stack.pop();
      if (!open || open.name !== n) fail(`</${n}> does not close <${open?.name ?? "nothing"}>`);
      continue;
    }
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: "" };
    for (;;) {
      const before = i;
      space();
      if (src.startsWith("/>", i) || src[i] === ">") break;
      if (i === before) fail("expected space before an attribute");
      const a = name();
      if (src[i] !== "=") fail("expected =");
      i++;
      const q = src[i];
      if (q !== '"' && q !== "'") fail("attribute value without quotes");
      const end = src.indexOf(q as string, i + 1);
      if (end < 0) fail("unterminated attribute value");
      if (Object.hasOwn(el.attrs, a)) fail(`duplicate attribute ${a}`);
      el.attrs[a] = decode(src.slice(i + 1, end));
      i = end + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) fail("a second root element");
    else root = el;
    if (src.startsWith("/>", i)) {
      i += 2;
    } else {
      i++;
      stack.push(el);
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]?.name}> is never closed`);
  if (!root) fail("no root element");
  return root as XmlElement;
}
