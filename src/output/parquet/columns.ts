/**
 * A log type's Parquet columns, typed from its schema: the Parquet schema elements of each
 * top-level column and the function that turns a record's JSON value into what the writer takes.
 *
 *   string                → BYTE_ARRAY UTF8 (STRING)
 *   int / smallint        → INT32 / INT32 INT_16
 *   bigint                → INT64 (exact beyond 2^53)
 *   float                 → DOUBLE
 *   boolean               → BOOLEAN
 *   timestamp, p_*_time   → INT64 TIMESTAMP(NANOS, isAdjustedToUTC)
 *   json                  → STRING holding the JSON text
 *   object                → group (a struct) of its fields
 *   array                 → three-level LIST of its element
 *   p_any_*               → LIST of STRING
 * Every column is OPTIONAL: a column's presence never depends on a `required:` that a later
 * schema version may drop, so files of one log type stay readable together.
 */
import type { SchemaElement } from "hyparquet-writer";
import { LosslessNumber } from "../../engine/lossless-json.js";
import { P_ANY_FIELDS } from "../../engine/indicators/fields.js";
import { restoreRaw } from "../../engine/raw-json.js";
import { parseRfc3339 } from "../../engine/time/index.js";
import { TimeFailure } from "../../engine/time/format.js";
import { daysFromCivil, SECONDS_PER_DAY } from "../../engine/time/civil.js";
import type { FieldSchema, LogSchema, ValueSchema } from "../../language/types.js";

/** A value the column cannot hold; the record is refused (it becomes a dead letter). */
export class Unrepresentable extends Error {
  constructor(
    readonly path: string[],
    message: string,
  ) {
    super(message);
  }
}

/** Turns a record's value (from JSON.parse or the lossless parser) into the writer's value. */
export type Convert = (v: unknown) => unknown;

/** The values and levels (Dremel encoding) of one leaf column, for the rows buffered. */
export interface LeafData {
  values: unknown[];
  definitionLevels: number[];
  /** Empty for a leaf under no list. */
  repetitionLevels: number[];
}

export interface Leaf {
  /** Schema elements from the root to the leaf. */
  schemaPath: SchemaElement[];
  /** Dotted path, for messages. */
  columnName: string;
  maxDefinitionLevel: number;
  repeated: boolean;
}

export interface TablePlan {
  /** The whole Parquet schema, root first. */
  schema: SchemaElement[];
  leaves: Leaf[];
  /** Appends one record's values and levels to every leaf; throws Unrepresentable. */
  shred(record: Record<string, unknown>, into: LeafData[]): void;
  /** Some column holds integers that JSON.parse could round (bigint, json): long digit runs are read losslessly. */
  exactNumbers: boolean;
}

/**
 * A node of the schema tree that writes a value's levels straight into the leaves' buffers
 * (no intermediate objects: records are shredded as they arrive, so only leaf values wait).
 */
interface Node {
  elements: SchemaElement[];
  /** Indexes of the leaves under this node. */
  leaves: number[];
  visit(v: unknown, def: number, rep: number, into: LeafData[]): void;
}

/**
 * TIMESTAMP(NANOS) is an int64 of nanoseconds since the epoch: it spans 1677-09-21 to
 * 2262-04-11. hexlog's timestamps span years 0000-9999; a record holding one outside the
 * Parquet range is refused rather than written with a wrong or missing value.
 */
const MIN_NANOS = -(2n ** 63n);
const MAX_NANOS = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const STRING = { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } } as const;
const TIMESTAMP = { type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" } } as const;

const P_FIELDS: ReadonlyArray<[string, ValueSchema]> = [
  ["p_log_type", { type: "string" }],
  ["p_row_id", { type: "string" }],
  ["p_event_time", { type: "timestamp" }],
  ["p_parse_time", { type: "timestamp" }],
  ["p_source_id", { type: "string" }],
  ["p_source_label", { type: "string" }],
  ...P_ANY_FIELDS.map((name): [string, ValueSchema] => [name, { type: "array", element: { type: "string" } }]),
];

export function planTable(schema: LogSchema): TablePlan {
  const planner = new Planner(schema.definitions ?? {});
  const top: Array<[string, Node]> = [
    ...schema.fields.map((f): [string, Node] => [f.name, planner.node(f.name, f, [], 0, 0)]),
    ...P_FIELDS.map(([name, vs]): [string, Node] => [name, planner.node(name, vs, [], 0, 0)]),
  ];
  const root: SchemaElement = { name: "root", num_children: top.length };
  const schemaElements = [root, ...top.flatMap(([, n]) => n.elements)];
  return {
    schema: schemaElements,
    leaves: planner.leaves.map((l) => ({ ...l, schemaPath: [root, ...l.schemaPath] })),
    exactNumbers: planner.exactNumbers,
    shred(record, into) {
      for (const [name, node] of top) node.visit(record[name], 0, 0, into);
    },
  };
}

class Planner {
  exactNumbers = false;
  readonly leaves: Leaf[] = [];
  /** Definitions being expanded along the current path (a cycle is written as JSON text). */
  private readonly expanding: string[] = [];

  constructor(private readonly definitions: Record<string, ValueSchema>) {}

  /**
   * `ancestors`: the schema elements above this node (for its leaves' paths); `def`: the
   * definition level of its parent when present; `repDepth`: lists above it.
   */
  node(name: string, vs: ValueSchema | FieldSchema, ancestors: SchemaElement[], def: number, repDepth: number, path: string[] = [], element = false): Node {
    // A list's element is the list's own field in messages.
    if (vs.type !== "ref") return this.valueNode(name, vs, ancestors, def, repDepth, element ? path : [...path, name]);
    const target = vs.target ?? "";
    const definition = this.definitions[target];
    if (!definition || this.expanding.includes(target)) return this.leaf(name, STRING, toJsonText, ancestors, def, repDepth, true);
    this.expanding.push(target);
    try {
      return this.node(name, definition, ancestors, def, repDepth, path, element);
    } finally {
      this.expanding.pop();
    }
  }

  private valueNode(name: string, vs: ValueSchema, ancestors: SchemaElement[], def: number, repDepth: number, path: string[]): Node {
    const leaf = (kind: Omit<SchemaElement, "name">, convert: Convert): Node => this.leaf(name, kind, convert, ancestors, def, repDepth, false);
    switch (vs.type) {
      case "string":
        return leaf(STRING, toText);
      case "int":
        return leaf({ type: "INT32" }, toNumber);
      case "smallint":
        // Not logical_type INTEGER(16): hyparquet-writer writes its bit width with the wrong
        // Thrift type and DuckDB rejects the file; the converted type alone says the same.
        return leaf({ type: "INT32", converted_type: "INT_16" }, toNumber);
      case "bigint":
        this.exactNumbers = true;
        return leaf({ type: "INT64" }, (v) => toBigint(v, path));
      case "float":
        return leaf({ type: "DOUBLE" }, toNumber);
      case "boolean":
        return leaf({ type: "BOOLEAN" }, toBoolean);
      case "timestamp":
        return leaf(TIMESTAMP, (v) => toNanos(v, path));
      case "object":
        // A group needs at least one child.
        if ((vs.fields ?? []).length === 0) return this.leaf(name, STRING, toJsonText, ancestors, def, repDepth, true);
        return this.struct(name, vs.fields ?? [], ancestors, def, repDepth, path);
      case "array":
        return this.list(name, vs.element ?? { type: "json" }, ancestors, def, repDepth, path);
      case "json":
      case "ref":
        return this.leaf(name, STRING, toJsonText, ancestors, def, repDepth, true);
    }
  }

  private leaf(name: string, kind: Omit<SchemaElement, "name">, convert: Convert, ancestors: SchemaElement[], def: number, repDepth: number, json: boolean): Node {
    if (json) this.exactNumbers = true;
    const element = { ...kind, name, repetition_type: "OPTIONAL" } as SchemaElement;
    const index = this.leaves.length;
    const schemaPath = [...ancestors, element];
    this.leaves.push({ schemaPath, columnName: schemaPath.map((e) => e.name).join("."), maxDefinitionLevel: def + 1, repeated: repDepth > 0 });
    const present = def + 1;
    const repeated = repDepth > 0;
    return {
      elements: [element],
      leaves: [index],
      visit(v, d, rep, into) {
        const out = into[index] as LeafData;
        if (v === null || v === undefined) {
          out.values.push(null);
          out.definitionLevels.push(d);
        } else {
          out.values.push(convert(v));
          out.definitionLevels.push(present);
        }
        if (repeated) out.repetitionLevels.push(rep);
      },
    };
  }

  private struct(name: string, fields: readonly FieldSchema[], ancestors: SchemaElement[], def: number, repDepth: number, path: string[]): Node {
    const element: SchemaElement = { name, repetition_type: "OPTIONAL", num_children: fields.length };
    const inside = [...ancestors, element];
    const children = fields.map((f): [string, Node] => [f.name, this.node(f.name, f, inside, def + 1, repDepth, path)]);
    const leaves = children.flatMap(([, c]) => c.leaves);
    const present = def + 1;
    const info = this.leaves;
    return {
      elements: [element, ...children.flatMap(([, c]) => c.elements)],
      leaves,
      visit(v, d, rep, into) {
        if (v === null || v === undefined) return nulls(leaves, d, rep, into, info);
        if (typeof v !== "object" || Array.isArray(v)) throw new Unrepresentable(path, `expected an object, got ${JSON.stringify(v)}`);
        const o = v as Record<string, unknown>;
        for (const [key, child] of children) child.visit(o[key], present, rep, into);
      },
    };
  }

  private list(name: string, element: ValueSchema, ancestors: SchemaElement[], def: number, repDepth: number, path: string[]): Node {
    const group: SchemaElement = { name, repetition_type: "OPTIONAL", converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 };
    const repeated: SchemaElement = { name: "list", repetition_type: "REPEATED", num_children: 1 };
    const depth = repDepth + 1;
    // Present list: def + 1; an entry of it: def + 2.
    const item = this.node("element", element, [...ancestors, group, repeated], def + 2, depth, path, true);
    const leaves = item.leaves;
    const info = this.leaves;
    return {
      elements: [group, repeated, ...item.elements],
      leaves,
      visit(v, d, rep, into) {
        if (v === null || v === undefined) return nulls(leaves, d, rep, into, info);
        if (!Array.isArray(v)) throw new Unrepresentable(path, `expected an array, got ${JSON.stringify(v)}`);
        if (v.length === 0) return nulls(leaves, d + 1, rep, into, info);
        for (let i = 0; i < v.length; i++) item.visit(v[i], d + 2, i === 0 ? rep : depth, into);
      },
    };
  }
}

/** A missing value at this level: every leaf below gets one entry at the given levels. */
function nulls(leaves: readonly number[], def: number, rep: number, into: LeafData[], info: readonly Leaf[]): void {
  for (const i of leaves) {
    const out = into[i] as LeafData;
    out.values.push(null);
    out.definitionLevels.push(def);
    // Only leaves under a list have repetition levels.
    if ((info[i] as Leaf).repeated) out.repetitionLevels.push(rep);
  }
}

function toText(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (v instanceof LosslessNumber) return v.text;
  return typeof v === "object" ? toJsonText(v) : String(v);
}

function toNumber(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof LosslessNumber) return Number(v.text);
  return v;
}

function toBoolean(v: unknown): unknown {
  return v === null || v === undefined ? null : v === true;
}

function toBigint(v: unknown, path: string[]): unknown {
  if (v === null || v === undefined) return null;
  let b: bigint;
  try {
    b = v instanceof LosslessNumber ? BigInt(v.text) : BigInt(v as number);
  } catch {
    throw new Unrepresentable(path, `${JSON.stringify(v instanceof LosslessNumber ? v.text : v)} is not a 64-bit integer`);
  }
  if (b < INT64_MIN || b > INT64_MAX) throw new Unrepresentable(path, `${b} is out of range for a 64-bit integer`);
  return b;
}

const CANONICAL = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?Z$/;

/** The last text converted and its value: p_parse_time and the like repeat across a chunk. */
let lastTime = "";
let lastNanos = 0n;

export function toNanos(v: unknown, path: string[] = []): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") throw new Unrepresentable(path, `expected a timestamp, got ${JSON.stringify(v)}`);
  if (v === lastTime) return lastNanos;
  let sec: number;
  let nsec: number;
  const m = CANONICAL.exec(v);
  if (m) {
    // Records hold canonical UTC text: read it by position, without the general parser.
    sec = daysFromCivil(+(m[1] as string), +(m[2] as string), +(m[3] as string)) * SECONDS_PER_DAY + +(m[4] as string) * 3600 + +(m[5] as string) * 60 + +(m[6] as string);
    nsec = m[7] === undefined ? 0 : +m[7].padEnd(9, "0");
  } else {
    const inst = parseRfc3339(v);
    if (inst instanceof TimeFailure) throw new Unrepresentable(path, `${JSON.stringify(v)} is not a timestamp: ${inst.message}`);
    sec = inst.sec;
    nsec = inst.nsec;
  }
  const nanos = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
  if (nanos < MIN_NANOS || nanos > MAX_NANOS) {
    throw new Unrepresentable(path, `${v} is outside the range of Parquet nanosecond timestamps (1677-09-21 to 2262-04-11)`);
  }
  lastTime = v;
  lastNanos = nanos;
  return nanos;
}

/** JSON text of a parsed value, number literals kept as written when read losslessly. */
function toJsonText(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const text = JSON.stringify(v);
  // LosslessNumber serializes as a raw marker (see raw-json.ts).
  return text.includes("\\u0000") ? restoreRaw(text) : text;
}
