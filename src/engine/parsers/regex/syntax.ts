/**
 * Reads a regular expression in Panther's dialect (Go RE2 syntax) into a small syntax tree.
 *
 * Owning the syntax, rather than handing the text to JavaScript, lets hexlog keep RE2's meaning
 * where JavaScript differs (`\s` is `[\t\n\f\r ]`, `[[:alpha:]]` classes, `(?P<name>…)`, `(?i)`
 * flag groups, duplicate group names), reject what RE2 rejects with a clear reason (lookaround,
 * backreferences), and run every pattern on an engine with a linear-time guarantee (see
 * linear.ts and pike.ts). Characters are UTF-16 code units, as in JavaScript.
 */

export type Node =
  /** One character out of a set: sorted, merged, inclusive ranges [lo0, hi0, lo1, hi1, …]. */
  | { kind: "chars"; ranges: readonly number[] }
  | { kind: "assert"; what: "start" | "end" | "word" | "nonword" }
  /** `index` is the capture number (1-based) or null for a non-capturing group. */
  | { kind: "group"; index: number | null; name: string | null; body: Node }
  | { kind: "concat"; items: readonly Node[] }
  | { kind: "alt"; items: readonly Node[] }
  | { kind: "repeat"; body: Node; min: number; max: number; greedy: boolean }
  | { kind: "empty" };

export interface Pattern {
  root: Node;
  /** Number of capturing groups. */
  groups: number;
  /** Group name per capture number (index 0 unused), null for unnamed groups. */
  names: ReadonlyArray<string | null>;
}

export class RegexSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** RE2's limit on counted repetition. */
export const MAX_REPEAT = 1000;

const MAX_CODE_UNIT = 0xffff;
const NEWLINE = 10;

interface Flags {
  /** Case-insensitive (ASCII letters, and simple one-to-one folds elsewhere). */
  i: boolean;
  /** `.` also matches \n. */
  s: boolean;
  /** Swap greedy and lazy repetition. */
  U: boolean;
}

const DIGIT = [48, 57];
const WORD = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE = [9, 10, 12, 13, 32, 32];

const POSIX: Record<string, readonly number[]> = {
  alnum: [48, 57, 65, 90, 97, 122],
  alpha: [65, 90, 97, 122],
  ascii: [0, 127],
  blank: [9, 9, 32, 32],
  cntrl: [0, 31, 127, 127],
  digit: DIGIT,
  graph: [33, 126],
  lower: [97, 122],
  print: [32, 126],
  punct: [33, 47, 58, 64, 91, 96, 123, 126],
  space: [9, 13, 32, 32],
  upper: [65, 90],
  word: WORD,
  xdigit: [48, 57, 65, 70, 97, 102],
};

/** Sorts and merges ranges (overlapping or adjacent). */
export function normalizeRanges(ranges: readonly number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i] as number, ranges[i + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as number) + 1) out[n - 1] = Math.max(out[n - 1] as number, hi);
    else out.push(lo, hi);
  }
  return out;
}

export function negateRanges(ranges: readonly number[]): number[] {
  const norm = normalizeRanges(ranges);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < norm.length; i += 2) {
    if ((norm[i] as number) > next) out.push(next, (norm[i] as number) - 1);
    next = (norm[i + 1] as number) + 1;
  }
  if (next <= MAX_CODE_UNIT) out.push(next, MAX_CODE_UNIT);
  return out;
}

/** Adds the other case of every letter in the set (ASCII ranges fully; small ranges elsewhere). */
function foldRanges(ranges: readonly number[]): number[] {
  const out = [...ranges];
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] as number;
    const hi = ranges[i + 1] as number;
    const aLo = Math.max(lo, 65);
    const aHi = Math.min(hi, 90);
    if (aLo <= aHi) out.push(aLo + 32, aHi + 32);
    const bLo = Math.max(lo, 97);
    const bHi = Math.min(hi, 122);
    if (bLo <= bHi) out.push(bLo - 32, bHi - 32);
    if (hi >= 128 && hi - Math.max(lo, 128) < 512) {
      for (let c = Math.max(lo, 128); c <= hi; c++) {
        for (const other of otherCases(c)) out.push(other, other);
      }
    }
  }
  return normalizeRanges(out);
}

function otherCases(c: number): number[] {
  const s = String.fromCharCode(c);
  const out: number[] = [];
  for (const t of [s.toLowerCase(), s.toUpperCase()]) {
    if (t.length === 1 && t.charCodeAt(0) !== c) out.push(t.charCodeAt(0));
  }
  return out;
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

class Reader {
  private pos = 0;
  private groups = 0;
  private readonly names: Array<string | null> = [null];
  /** The atom just read was \Q…\E text. */
  private quoted = false;

  constructor(private readonly src: string) {}

  read(): Pattern {
    const root = this.alternation({ i: false, s: false, U: false }, 0);
    if (this.pos < this.src.length) throw new RegexSyntaxError(this.pos, 'unmatched ")"');
    return { root, groups: this.groups, names: this.names };
  }

  private fail(message: string, at = this.pos): never {
    throw new RegexSyntaxError(at, message);
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  /** alternation := concat ('|' concat)*, up to an unmatched ')' or the end. */
  private alternation(flags: Flags, depth: number): Node {
    if (depth > 200) this.fail("groups nested too deeply");
    const items: Node[] = [this.concat(flags, depth)];
    while (this.peek() === "|") {
      this.pos++;
      items.push(this.concat(flags, depth));
    }
    return items.length === 1 ? (items[0] as Node) : { kind: "alt", items };
  }

  private concat(flags: Flags, depth: number): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") break;
      // A flag group without a body changes the flags for the rest of the enclosing group.
      if (this.src.startsWith("(?", this.pos) && this.flagGroupAhead()) {
        this.pos += 2;
        const scoped = this.flags(flags);
        if (!scoped) continue;
        items.push(this.repetition(this.group(scoped, null, null, depth), flags));
        continue;
      }
      let atom = this.atom(flags, depth);
      if (atom === null) continue;
      if (this.quoted && atom.kind === "concat") {
        // A repetition after \Q…\E applies to its last character only.
        items.push(...atom.items.slice(0, -1));
        atom = atom.items[atom.items.length - 1] as Node;
      }
      this.quoted = false;
      items.push(this.repetition(atom, flags));
    }
    if (items.length === 0) return { kind: "empty" };
    return items.length === 1 ? (items[0] as Node) : { kind: "concat", items };
  }

  private flagGroupAhead(): boolean {
    const m = /^\(\?[imsU-]*[:)]/.exec(this.src.slice(this.pos, this.pos + 12));
    return m !== null;
  }

  /**
   * Reads flags after "(?" up to ":" (returns the flags for the group's body) or ")" (changes
   * `flags` in place for the rest of the group and returns null).
   */
  private flags(flags: Flags): Flags | null {
    const start = this.pos - 2;
    const next = { ...flags };
    let negate = false;
    let seen = false;
    for (;;) {
      const c = this.peek();
      this.pos++;
      if (c === "i" || c === "s" || c === "U" || c === "m") {
        seen = true;
        // m: ^ and $ at line breaks; a framed line has none, so it changes nothing.
        if (c !== "m") next[c] = !negate;
      } else if (c === "-") {
        if (negate) this.fail("invalid flag group: two '-'", start);
        negate = true;
        seen = false;
      } else if (c === ":" || c === ")") {
        if (negate && !seen) this.fail("invalid flag group: '-' without flags", start);
        if (c === ")" && !seen) this.fail("empty flag group (?)", start);
        if (c === ":") return next;
        Object.assign(flags, next);
        return null;
      } else {
        this.fail("invalid flag group", start);
      }
    }
  }

  private group(flags: Flags, index: number | null, name: string | null, depth: number): Node {
    const open = this.pos;
    const body = this.alternation({ ...flags }, depth + 1);
    if (this.peek() !== ")") this.fail('missing ")"', open);
    this.pos++;
    return { kind: "group", index, name, body };
  }

  /** One atom, or null for something that matches nothing by itself (an empty \Q\E). */
  private atom(flags: Flags, depth: number): Node | null {
    const start = this.pos;
    const c = this.src[this.pos++] as string;
    switch (c) {
      case "(":
        return this.openGroup(flags, depth, start);
      case "[":
        return { kind: "chars", ranges: this.charClass(flags, start) };
      case ".":
        return { kind: "chars", ranges: flags.s ? [0, MAX_CODE_UNIT] : [0, NEWLINE - 1, NEWLINE + 1, MAX_CODE_UNIT] };
      case "^":
        return { kind: "assert", what: "start" };
      case "$":
        return { kind: "assert", what: "end" };
      case "*":
      case "+":
      case "?":
        return this.fail(`missing argument to repetition operator "${c}"`, start);
      case "{":
        if (this.repeatCount(start) !== null) this.fail("missing argument to repetition operator", start);
        return this.literal(123, flags);
      case "\\":
        return this.escape(flags, start);
      default: {
        const code = c.charCodeAt(0);
        if (code >= 0xd800 && code <= 0xdbff) {
          const low = this.src.charCodeAt(this.pos);
          if (low >= 0xdc00 && low <= 0xdfff) {
            // A character beyond U+FFFF is two code units in a row.
            this.pos++;
            return { kind: "concat", items: [this.literal(code, flags), this.literal(low, flags)] };
          }
        }
        return this.literal(code, flags);
      }
    }
  }

  private literal(code: number, flags: Flags): Node {
    return { kind: "chars", ranges: flags.i ? foldRanges([code, code]) : [code, code] };
  }

  private openGroup(flags: Flags, depth: number, start: number): Node {
    if (this.peek() !== "?") {
      const index = ++this.groups;
      this.names.push(null);
      return this.group(flags, index, null, depth);
    }
    const rest = this.src.slice(this.pos, this.pos + 4);
    let nameStart = -1;
    if (rest.startsWith("?P<")) nameStart = this.pos + 3;
    else if (rest.startsWith("?<") && rest[2] !== "=" && rest[2] !== "!") nameStart = this.pos + 2;
    if (nameStart >= 0) {
      const end = this.src.indexOf(">", nameStart);
      if (end < 0) this.fail("unterminated group name", start);
      const name = this.src.slice(nameStart, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail(`invalid group name "${name}" (use letters, digits and _)`, start);
      this.pos = end + 1;
      const index = ++this.groups;
      this.names.push(name);
      return this.group(flags, index, name, depth);
    }
    if (rest.startsWith("?=") || rest.startsWith("?!") || rest.startsWith("?<=") || rest.startsWith("?<!")) {
      this.fail("lookahead and lookbehind are not supported (the dialect is RE2)", start);
    }
    if (rest.startsWith("?P=")) this.fail("backreferences are not supported (the dialect is RE2)", start);
    if (rest.startsWith("?>")) this.fail("atomic groups are not supported (the dialect is RE2)", start);
    return this.fail("unknown group syntax after (?", start);
  }

  /** `{n}`, `{n,}` or `{n,m}` at `at` (pointing at "{"), or null when the text is no repeat count. */
  private repeatCount(at: number): { min: number; max: number; end: number } | null {
    const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.src.slice(at, at + 24));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT) || max < min) {
      this.fail(`invalid repeat count ${m[0]} (at most ${MAX_REPEAT}, and min ≤ max)`, at);
    }
    return { min, max, end: at + m[0].length };
  }

  private repetition(atom: Node, flags: Flags): Node {
    let node = atom;
    let repeated = false;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      const at = this.pos;
      if (c === "*") [min, max] = [0, Infinity];
      else if (c === "+") [min, max] = [1, Infinity];
      else if (c === "?") [min, max] = [0, 1];
      else if (c === "{") {
        const r = this.repeatCount(this.pos);
        if (r === null) return node;
        [min, max] = [r.min, r.max];
        this.pos = r.end - 1;
      } else return node;
      if (repeated) this.fail("invalid nested repetition operator", at);
      if (atom.kind === "assert") this.fail("missing argument to repetition operator", at);
      this.pos++;
      let greedy = true;
      if (this.peek() === "?") {
        greedy = false;
        this.pos++;
      }
      if (flags.U) greedy = !greedy;
      node = { kind: "repeat", body: node, min, max, greedy };
      repeated = true;
    }
  }

  /** After a backslash outside a class. */
  private escape(flags: Flags, start: number): Node | null {
    const c = this.src[this.pos];
    if (c === undefined) this.fail("trailing backslash", start);
    switch (c) {
      case "A":
        this.pos++;
        return { kind: "assert", what: "start" };
      case "z":
        this.pos++;
        return { kind: "assert", what: "end" };
      case "b":
        this.pos++;
        return { kind: "assert", what: "word" };
      case "B":
        this.pos++;
        return { kind: "assert", what: "nonword" };
      case "Q": {
        const end = this.src.indexOf("\\E", this.pos + 1);
        const text = this.src.slice(this.pos + 1, end < 0 ? undefined : end);
        this.pos = end < 0 ? this.src.length : end + 2;
        if (text.length === 0) return null;
        this.quoted = true;
        const items: Node[] = [];
        for (let i = 0; i < text.length; i++) items.push(this.literal(text.charCodeAt(i), flags));
        return items.length === 1 ? (items[0] as Node) : { kind: "concat", items };
      }
      default: {
        const set = this.classEscape(start);
        if (set) return { kind: "chars", ranges: flags.i ? foldRanges(set) : set };
        return this.literal(this.charEscape(start), flags);
      }
    }
  }

  /** \d \D \w \W \s \S at this.pos (after the backslash), or null. */
  private classEscape(start: number): number[] | null {
    const c = this.src[this.pos];
    let set: readonly number[] | undefined;
    let negated = false;
    if (c === "d" || c === "D") set = DIGIT;
    else if (c === "w" || c === "W") set = WORD;
    else if (c === "s" || c === "S") set = SPACE;
    else if (c === "p" || c === "P") this.fail("Unicode classes (\\p) are not supported; use explicit ranges", start);
    if (!set) return null;
    negated = c === "D" || c === "W" || c === "S";
    this.pos++;
    return negated ? negateRanges(set) : [...set];
  }

  /** A single-character escape at this.pos (after the backslash); returns the code unit. */
  private charEscape(start: number): number {
    const c = this.src[this.pos++] as string;
    switch (c) {
      case "a":
        return 7;
      case "f":
        return 12;
      case "t":
        return 9;
      case "n":
        return 10;
      case "r":
        return 13;
      case "v":
        return 11;
      case "x": {
        if (this.peek() === "{") {
          const end = this.src.indexOf("}", this.pos);
          const hex = end < 0 ? "" : this.src.slice(this.pos + 1, end);
          if (!/^[0-9A-Fa-f]{1,6}$/.test(hex)) this.fail("invalid escape \\x{…}", start);
          const code = parseInt(hex, 16);
          if (code > MAX_CODE_UNIT) this.fail("characters beyond U+FFFF are not supported in escapes", start);
          this.pos = end + 1;
          return code;
        }
        const h = this.src.slice(this.pos, this.pos + 2);
        if (!isHex(h[0]) || !isHex(h[1])) this.fail("invalid escape \\x (two hex digits expected)", start);
        this.pos += 2;
        return parseInt(h, 16);
      }
      case "0":
      case "1":
      case "2":
      case "3":
      case "4":
      case "5":
      case "6":
      case "7": {
        // Octal \0, \012, \123 — but a lone \1…\9 would be a backreference.
        const m = /^[0-7]{0,2}/.exec(this.src.slice(this.pos, this.pos + 2)) as RegExpExecArray;
        if (c !== "0" && m[0].length === 0) this.fail("backreferences are not supported (the dialect is RE2)", start);
        this.pos += m[0].length;
        return parseInt(c + m[0], 8);
      }
      case "8":
      case "9":
        return this.fail("backreferences are not supported (the dialect is RE2)", start);
      default: {
        const code = c.charCodeAt(0);
        // Any escaped ASCII punctuation is itself.
        if (code < 128 && !/[0-9A-Za-z]/.test(c)) return code;
        if (c === "k") this.fail("backreferences are not supported (the dialect is RE2)", start);
        return this.fail(`invalid escape \\${c}`, start);
      }
    }
  }

  /** `[…]` after the opening bracket. */
  private charClass(flags: Flags, start: number): number[] {
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.pos++;
    }
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('missing "]"', start);
      if (c === "]" && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === "[" && this.peek(1) === ":") {
        const end = this.src.indexOf(":]", this.pos + 2);
        if (end >= 0) {
          let name = this.src.slice(this.pos + 2, end);
          const neg = name.startsWith("^");
          if (neg) name = name.slice(1);
          const set = POSIX[name];
          if (!set) this.fail(`unknown class [:${name}:]`, this.pos);
          ranges.push(...(neg ? negateRanges(set) : set));
          this.pos = end + 2;
          continue;
        }
      }
      const lo = this.classAtom(start);
      if (Array.isArray(lo)) {
        ranges.push(...lo);
        continue;
      }
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        const dash = this.pos;
        this.pos++;
        const hi = this.classAtom(start);
        if (Array.isArray(hi) || hi < lo) this.fail("invalid character class range", dash);
        ranges.push(lo, hi);
      } else {
        ranges.push(lo, lo);
      }
    }
    let set = normalizeRanges(ranges);
    if (flags.i) set = foldRanges(set);
    return negated ? negateRanges(set) : set;
  }

  /** One character in a class (its code) or a class escape (its ranges). */
  private classAtom(start: number): number | number[] {
    const c = this.src[this.pos] as string;
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) this.fail("characters beyond U+FFFF are not supported inside […]", this.pos);
    if (c !== "\\") {
      this.pos++;
      return code;
    }
    this.pos++;
    if (this.peek() === undefined) this.fail("trailing backslash", start);
    const set = this.classEscape(this.pos - 1);
    if (set) return set;
    if (this.peek() === "b") {
      // Inside a class RE2 has no \b; Go reads it as an error too.
      this.fail("invalid escape \\b inside […]", this.pos - 1);
    }
    return this.charEscape(this.pos - 1);
  }
}

/** Parses a pattern; throws RegexSyntaxError with the offset of the problem. */
export function parseRegex(src: string): Pattern {
  return new Reader(src).read();
}
