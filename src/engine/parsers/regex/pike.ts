/**
 * A linear-time regular expression matcher (a Pike VM, the design RE2 uses): the pattern becomes
 * a small program, and all ways of matching advance together one character at a time, so a line
 * costs at most (line length × program size) steps whatever the pattern — no backtracking.
 *
 * It runs the patterns V8's own linear engine cannot take (counted repetition beyond its limit,
 * see linear.ts). Results follow JavaScript's rules exactly as the backtracking engine would give
 * them: leftmost match, alternatives and repetitions by priority, and groups inside a repetition
 * reset at each iteration.
 */
import type { Node, Pattern } from "./syntax.js";

/** Programs larger than this are refused (the per-character cost grows with the size). */
export const MAX_PROGRAM = 20_000;

const CHAR = 0;
const CLASS = 1;
const SPLIT = 2;
const JMP = 3;
const SAVE = 4;
const ASSERT = 5;
const RESET = 6;
const MATCH = 7;

const A_START = 0;
const A_END = 1;
const A_WORD = 2;
const A_NONWORD = 3;

class CharSet {
  private readonly ascii = new Uint32Array(4);
  private readonly high: Int32Array;

  constructor(ranges: readonly number[]) {
    const high: number[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      const lo = ranges[i] as number;
      const hi = ranges[i + 1] as number;
      for (let c = lo; c <= Math.min(hi, 127); c++) this.ascii[c >> 5]! |= 1 << (c & 31);
      if (hi >= 128) high.push(Math.max(lo, 128), hi);
    }
    this.high = Int32Array.from(high);
  }

  has(c: number): boolean {
    if (c < 128) return ((this.ascii[c >> 5] as number) >>> (c & 31)) & 1 ? true : false;
    const h = this.high;
    for (let i = 0; i < h.length; i += 2) {
      if (c < (h[i] as number)) return false;
      if (c <= (h[i + 1] as number)) return true;
    }
    return false;
  }
}

export class ProgramTooLarge extends Error {}

class Compiler {
  readonly op: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly sets: CharSet[] = [];

  emit(op: number, a = 0, b = 0): number {
    if (this.op.length >= MAX_PROGRAM) throw new ProgramTooLarge();
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    return this.op.length - 1;
  }

  get pc(): number {
    return this.op.length;
  }

  node(n: Node): void {
    switch (n.kind) {
      case "chars":
        if (n.ranges.length === 2 && n.ranges[0] === n.ranges[1]) this.emit(CHAR, n.ranges[0] as number);
        else {
          this.sets.push(new CharSet(n.ranges));
          this.emit(CLASS, this.sets.length - 1);
        }
        return;
      case "assert":
        this.emit(ASSERT, n.what === "start" ? A_START : n.what === "end" ? A_END : n.what === "word" ? A_WORD : A_NONWORD);
        return;
      case "group":
        if (n.index === null) return this.node(n.body);
        this.emit(SAVE, 2 * n.index);
        this.node(n.body);
        this.emit(SAVE, 2 * n.index + 1);
        return;
      case "concat":
        for (const item of n.items) this.node(item);
        return;
      case "alt": {
        const jumps: number[] = [];
        n.items.forEach((item, i) => {
          if (i === n.items.length - 1) return this.node(item);
          const split = this.emit(SPLIT);
          this.a[split] = this.pc;
          this.node(item);
          jumps.push(this.emit(JMP));
          this.b[split] = this.pc;
        });
        for (const j of jumps) this.a[j] = this.pc;
        return;
      }
      case "repeat":
        return this.repeat(n.body, n.min, n.max, n.greedy);
      case "empty":
        return;
    }
  }

  /** One iteration: groups inside are cleared first, as JavaScript does. */
  private iteration(body: Node, groups: [number, number] | null): void {
    if (groups) this.emit(RESET, 2 * groups[0], 2 * groups[1] + 2);
    this.node(body);
  }

  private repeat(body: Node, min: number, max: number, greedy: boolean): void {
    const groups = groupRange(body);
    for (let i = 0; i < min; i++) this.iteration(body, groups);
    if (max === Infinity) {
      const loop = this.emit(SPLIT);
      this.iteration(body, groups);
      this.emit(JMP, loop);
      this.setSplit(loop, loop + 1, this.pc, greedy);
      return;
    }
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      splits.push(this.emit(SPLIT));
      this.iteration(body, groups);
    }
    for (const s of splits) this.setSplit(s, s + 1, this.pc, greedy);
  }

  private setSplit(at: number, body: number, out: number, greedy: boolean): void {
    this.a[at] = greedy ? body : out;
    this.b[at] = greedy ? out : body;
  }
}

/** The first and last capture number inside a node, or null. */
function groupRange(n: Node): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  const visit = (x: Node): void => {
    if (x.kind === "group") {
      if (x.index !== null) {
        lo = Math.min(lo, x.index);
        hi = Math.max(hi, x.index);
      }
      visit(x.body);
    } else if (x.kind === "concat" || x.kind === "alt") x.items.forEach(visit);
    else if (x.kind === "repeat") visit(x.body);
  };
  visit(n);
  return lo === Infinity ? null : [lo, hi];
}

function startsAnchored(n: Node): boolean {
  if (n.kind === "assert") return n.what === "start";
  if (n.kind === "concat") return n.items.length > 0 && startsAnchored(n.items[0] as Node);
  if (n.kind === "group") return startsAnchored(n.body);
  if (n.kind === "alt") return n.items.every(startsAnchored);
  return false;
}

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

class ThreadList {
  readonly pc: Int32Array;
  readonly caps: Int32Array[];
  n = 0;
  private readonly mark: Int32Array;
  private gen = 1;

  constructor(size: number) {
    this.pc = new Int32Array(size);
    this.caps = new Array<Int32Array>(size);
    this.mark = new Int32Array(size);
  }

  clear(): void {
    this.n = 0;
    this.gen++;
  }

  /** Marks a program counter as reached at this step; false if it already was. */
  visit(pc: number): boolean {
    if (this.mark[pc] === this.gen) return false;
    this.mark[pc] = this.gen;
    return true;
  }

  push(pc: number, caps: Int32Array): void {
    this.pc[this.n] = pc;
    this.caps[this.n++] = caps;
  }
}

export class PikeProgram {
  private readonly op: Int32Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly sets: CharSet[];
  private readonly slots: number;
  private readonly anchored: boolean;
  private readonly stackPc: Int32Array;
  private readonly stackCaps: Int32Array[];
  private clist: ThreadList;
  private nlist: ThreadList;
  private readonly noCaps: Int32Array;

  /** Throws ProgramTooLarge for patterns beyond MAX_PROGRAM instructions. */
  constructor(pattern: Pattern) {
    const c = new Compiler();
    c.emit(SAVE, 0);
    c.node(pattern.root);
    c.emit(SAVE, 1);
    c.emit(MATCH);
    this.op = Int32Array.from(c.op);
    this.a = Int32Array.from(c.a);
    this.b = Int32Array.from(c.b);
    this.sets = c.sets;
    this.slots = 2 * (pattern.groups + 1);
    this.anchored = startsAnchored(pattern.root);
    const size = c.op.length;
    // Each instruction is visited once per step and pushes at most two successors.
    this.stackPc = new Int32Array(2 * size + 2);
    this.stackCaps = new Array<Int32Array>(2 * size + 2);
    this.clist = new ThreadList(size);
    this.nlist = new ThreadList(size);
    this.noCaps = new Int32Array(this.slots).fill(-1);
  }

  /**
   * The leftmost match in `text`: capture positions [start0, end0, start1, end1, …], -1 for
   * groups that took no part, or null.
   */
  exec(text: string): Int32Array | null {
    const len = text.length;
    let clist = this.clist;
    let nlist = this.nlist;
    clist.clear();
    let matched: Int32Array | null = null;
    for (let pos = 0; ; pos++) {
      if (matched === null && (pos === 0 || !this.anchored)) this.add(clist, 0, pos, this.noCaps, text);
      // No thread left: done once matched, or when no later start can match.
      if (clist.n === 0 && (matched !== null || this.anchored)) break;
      const ch = pos < len ? text.charCodeAt(pos) : -1;
      nlist.clear();
      for (let i = 0; i < clist.n; i++) {
        const pc = clist.pc[i] as number;
        const op = this.op[pc];
        if (op === CHAR) {
          if (ch === this.a[pc]) this.add(nlist, pc + 1, pos + 1, clist.caps[i] as Int32Array, text);
        } else if (op === CLASS) {
          if (ch >= 0 && (this.sets[this.a[pc] as number] as CharSet).has(ch)) this.add(nlist, pc + 1, pos + 1, clist.caps[i] as Int32Array, text);
        } else if (op === MATCH) {
          // Threads after this one have lower priority: drop them.
          matched = clist.caps[i] as Int32Array;
          break;
        }
      }
      if (pos >= len) break;
      const t = clist;
      clist = nlist;
      nlist = t;
    }
    this.clist = clist;
    this.nlist = nlist;
    return matched;
  }

  /** Follows jumps, splits, saves and assertions from `pc0` at `pos`, in priority order. */
  private add(list: ThreadList, pc0: number, pos: number, caps0: Int32Array, text: string): void {
    const spc = this.stackPc;
    const scaps = this.stackCaps;
    let sp = 0;
    spc[sp] = pc0;
    scaps[sp++] = caps0;
    while (sp > 0) {
      const pc = spc[--sp] as number;
      let caps = scaps[sp] as Int32Array;
      if (!list.visit(pc)) continue;
      switch (this.op[pc]) {
        case JMP:
          spc[sp] = this.a[pc] as number;
          scaps[sp++] = caps;
          break;
        case SPLIT:
          // The second branch is pushed first so the first is explored first.
          spc[sp] = this.b[pc] as number;
          scaps[sp++] = caps;
          spc[sp] = this.a[pc] as number;
          scaps[sp++] = caps;
          break;
        case SAVE:
          caps = caps.slice();
          caps[this.a[pc] as number] = pos;
          spc[sp] = pc + 1;
          scaps[sp++] = caps;
          break;
        case RESET:
          caps = caps.slice();
          caps.fill(-1, this.a[pc], this.b[pc]);
          spc[sp] = pc + 1;
          scaps[sp++] = caps;
          break;
        case ASSERT:
          if (this.holds(this.a[pc] as number, pos, text)) {
            spc[sp] = pc + 1;
            scaps[sp++] = caps;
          }
          break;
        default:
          list.push(pc, caps);
      }
    }
  }

  private holds(what: number, pos: number, text: string): boolean {
    switch (what) {
      case A_START:
        return pos === 0;
      case A_END:
        return pos === text.length;
      default: {
        const before = pos > 0 && isWord(text.charCodeAt(pos - 1));
        const after = pos < text.length && isWord(text.charCodeAt(pos));
        return what === A_WORD ? before !== after : before === after;
      }
    }
  }
}
