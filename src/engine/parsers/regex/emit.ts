/**
 * Writes a syntax tree back as JavaScript RegExp source with no flags. Every group is a plain
 * numbered capture in the same order as in the tree (names live in the Pattern, so RE2's
 * duplicate names are no problem), and every character set is spelled out as ranges, so the
 * meaning is the tree's and not JavaScript's defaults.
 */
import type { Node } from "./syntax.js";

function unit(code: number): string {
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95) return String.fromCharCode(code);
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

function chars(ranges: readonly number[]): string {
  if (ranges.length === 2 && ranges[0] === ranges[1]) return unit(ranges[0] as number);
  let out = "[";
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] as number;
    const hi = ranges[i + 1] as number;
    out += lo === hi ? unit(lo) : `${unit(lo)}-${unit(hi)}`;
  }
  return `${out}]`;
}

function quantifier(min: number, max: number): string {
  if (min === 0 && max === Infinity) return "*";
  if (min === 1 && max === Infinity) return "+";
  if (min === 0 && max === 1) return "?";
  if (max === Infinity) return `{${min},}`;
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}

/** Source that can take a quantifier or sit inside a concatenation as one unit. */
function atom(node: Node): string {
  const s = emit(node);
  return node.kind === "chars" || node.kind === "group" ? s : `(?:${s})`;
}

export function emit(node: Node): string {
  switch (node.kind) {
    case "chars":
      return chars(node.ranges);
    case "assert":
      return node.what === "start" ? "^" : node.what === "end" ? "$" : node.what === "word" ? "\\b" : "\\B";
    case "group":
      return node.index === null ? `(?:${emit(node.body)})` : `(${emit(node.body)})`;
    case "concat":
      return node.items.map((n) => (n.kind === "alt" ? `(?:${emit(n)})` : emit(n))).join("");
    case "alt":
      return node.items.map(emit).join("|");
    case "repeat":
      return atom(node.body) + quantifier(node.min, node.max) + (node.greedy ? "" : "?");
    case "empty":
      return "(?:)";
  }
}
