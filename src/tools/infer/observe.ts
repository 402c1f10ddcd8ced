/**
 * What schema inference remembers about the values seen at one place in the events: counts and
 * bit masks, never the values themselves, so memory grows with the shape of the data and not
 * with its size. `observe` folds one JSON value into a node; build.ts turns the tree into fields.
 */
import { LosslessNumber } from "../../engine/lossless-json.js";
import { ALL_VALUE_KINDS, valueIndicatorMask } from "./indicators.js";
import { columnKey, nameHints, unusableName, type NameHints } from "./names.js";
import { numberTimeMask, stringTimeMask } from "./time.js";

// Kinds of scalar values (bits of Node.kinds).
export const BOOLEAN = 1;
/** An integer literal within the 64-bit range. */
export const INTEGER = 2;
/** Any other number a double holds (fraction, exponent, or an integer beyond 64 bits). */
export const FLOAT = 4;
/** A non-empty string, or a number only a string keeps (1e400 overflows a double). */
export const TEXT = 8;

/** Objects and arrays deeper than this are typed json (the compiler stops at 64 levels). */
export const MAX_DEPTH = 32;

/** More distinct time masks than this and the field is no timestamp (the values are all over the place). */
const MAX_TIME_MASKS = 64;

const INTEGER_TEXT = /^-?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export class Node {
  /** Non-null values seen here ("" included). */
  present = 0;
  /** How many of them were "". */
  empties = 0;
  /** Scalar kinds seen (BOOLEAN | INTEGER | FLOAT | TEXT). */
  kinds = 0;
  objects = 0;
  arrays = 0;
  /** Objects or arrays seen beyond MAX_DEPTH. */
  tooDeep = 0;
  /** Fields of the objects seen here, in order of first appearance. */
  readonly fields = new Map<string, Node>();
  /** Keys of those objects that cannot be fields, with the reason. */
  readonly skipped = new Map<string, string>();
  /** columnKey → the field name that claimed it first. */
  private readonly columns = new Map<string, string>();
  /** The node of the elements of the arrays seen here. */
  element: Node | undefined;
  /** Time-format masks of the values; undefined once a value was no time. */
  timeMasks: Set<number> | undefined = new Set();
  /** Indicator kinds every non-empty value had so far. */
  indicatorMask = ALL_VALUE_KINDS;
  readonly hints: NameHints;

  constructor(
    /** The key (for elements: the key of the array). */
    readonly name: string,
    /** The key of the object holding this one, for hints like `actor.id`. */
    readonly parentName: string | undefined,
    /** Nesting as the compiler counts it: 0 for top-level fields. */
    readonly depth: number,
    /** The event itself (its keys are top-level fields). */
    readonly isRoot = false,
  ) {
    this.hints = nameHints(name, parentName);
  }

  /** The node of key `key` in the objects seen here, or undefined when the key cannot be a field. */
  field(key: string): Node | undefined {
    const known = this.fields.get(key);
    if (known !== undefined) return known;
    if (this.skipped.has(key)) return undefined;
    let why = unusableName(key, this.isRoot);
    const column = columnKey(key);
    const claimed = this.columns.get(column);
    if (why === undefined && claimed !== undefined) {
      why = `collides with "${claimed}" (${claimed.toLowerCase() === key.toLowerCase() ? "the same name but for case" : "the same column name"}), which came first`;
    }
    if (why !== undefined) {
      this.skipped.set(key, why);
      return undefined;
    }
    this.columns.set(column, key);
    const node = new Node(key, this.isRoot ? undefined : this.name, this.isRoot ? 0 : this.depth + 1);
    this.fields.set(key, node);
    return node;
  }
}

/** Folds one JSON value (numbers as LosslessNumber or number) into `node`. */
export function observe(node: Node, v: unknown): void {
  if (v === null || v === undefined) return;
  node.present++;
  if (typeof v === "string") {
    if (v === "") node.empties++;
    else observeText(node, v, TEXT);
  } else if (typeof v === "boolean") {
    observeText(node, v ? "true" : "false", BOOLEAN);
  } else if (v instanceof LosslessNumber || typeof v === "number") {
    observeNumber(node, v instanceof LosslessNumber ? v.text : String(v));
  } else if (Array.isArray(v)) {
    node.arrays++;
    if (node.depth >= MAX_DEPTH) {
      node.tooDeep++;
      return;
    }
    node.element ??= new Node(node.name, node.parentName, node.depth + 1);
    for (const el of v) observe(node.element, el);
  } else if (typeof v === "object") {
    observeObject(node, v as Record<string, unknown>);
  }
}

/** Folds the keys of one object into `node` (also used for whole events). */
export function observeObject(node: Node, o: Record<string, unknown>): void {
  node.objects++;
  if (node.depth >= MAX_DEPTH && !node.isRoot) {
    node.tooDeep++;
    return;
  }
  for (const key of Object.keys(o)) {
    const child = node.field(key);
    if (child !== undefined) observe(child, o[key]);
  }
}

/** A scalar as a string field would hold it (its literal text); `kind` says what it was. */
function observeText(node: Node, text: string, kind: number): void {
  node.kinds |= kind;
  if (node.indicatorMask !== 0) node.indicatorMask &= valueIndicatorMask(text);
  if (node.timeMasks !== undefined) {
    addTimeMask(node, kind === TEXT ? stringTimeMask(text, node.hints.time) : 0);
  }
}

function observeNumber(node: Node, literal: string): void {
  let kind = Number.isFinite(Number(literal)) ? FLOAT : TEXT;
  if (INTEGER_TEXT.test(literal)) {
    const b = BigInt(literal);
    if (b >= INT64_MIN && b <= INT64_MAX) kind = INTEGER;
  }
  node.kinds |= kind;
  if (node.indicatorMask !== 0) node.indicatorMask &= valueIndicatorMask(literal);
  if (node.timeMasks !== undefined) addTimeMask(node, node.hints.time ? numberTimeMask(literal) : 0);
}

function addTimeMask(node: Node, mask: number): void {
  const masks = node.timeMasks as Set<number>;
  if (mask === 0 || (masks.size === MAX_TIME_MASKS && !masks.has(mask))) node.timeMasks = undefined;
  else masks.add(mask);
}
