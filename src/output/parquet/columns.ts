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

export interface Column {
  name: string;
  /** The column's schema elements, depth first (the column's own element first). */
  elements: SchemaElement[];
  convert: Convert;
}

export interface TablePlan {
  columns: Column[];
  /** The whole Parquet schema, root first. */
  schema: SchemaElement[];
  /** Some column holds integers that JSON.parse could round (bigint, json): long digit runs are read losslessly. */
  exactNumbers: boolean;
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

export function planTable(schema: LogSchema): TablePlan {
  const planner = new Planner(schema.definitions ?? {});
  const columns = schema.fields.map((f) => planner.column(f.name, f, []));
  columns.push(leafColumn("p_log_type", STRING, toText));
  columns.push(leafColumn("p_row_id", STRING, toText));
  columns.push(leafColumn("p_event_time", TIMESTAMP, toNanos));
  columns.push(leafColumn("p_parse_time", TIMESTAMP, toNanos));
  columns.push(leafColumn("p_source_id", STRING, toText));
  columns.push(leafColumn("p_source_label", STRING, toText));
  for (const name of P_ANY_FIELDS) columns.push(planner.column(name, { type: "array", element: { type: "string" } }, []));
  const root: SchemaElement = { name: "root", num_children: columns.length };
  return { columns, schema: [root, ...columns.flatMap((c) => c.elements)], exactNumbers: planner.exactNumbers };
}

function leafColumn(name: string, kind: Omit<SchemaElement, "name">, convert: Convert): Column {
  return { name, elements: [{ ...kind, name, repetition_type: "OPTIONAL" } as SchemaElement], convert };
}

class Planner {
  exactNumbers = false;
  /** Definitions being expanded along the current path (a cycle is written as JSON text). */
  private readonly expanding: string[] = [];

  constructor(private readonly definitions: Record<string, ValueSchema>) {}

  column(name: string, vs: ValueSchema | FieldSchema, path: string[]): Column {
    if (vs.type !== "ref") return this.valueColumn(name, vs, [...path, name]);
    const target = vs.target ?? "";
    const def = this.definitions[target];
    if (!def || this.expanding.includes(target)) return this.jsonColumn(name);
    this.expanding.push(target);
    try {
      return this.column(name, def, path);
    } finally {
      this.expanding.pop();
    }
  }

  private valueColumn(name: string, vs: ValueSchema, path: string[]): Column {
    const opt = { name, repetition_type: "OPTIONAL" } as const;
    switch (vs.type) {
      case "string":
        return { name, elements: [{ ...opt, ...STRING }], convert: toText };
      case "int":
        return { name, elements: [{ ...opt, type: "INT32" }], convert: toNumber };
      case "smallint":
        // Not logical_type INTEGER(16): hyparquet-writer writes its bit width with the wrong
        // Thrift type and DuckDB rejects the file; the converted type alone says the same.
        return { name, elements: [{ ...opt, type: "INT32", converted_type: "INT_16" }], convert: toNumber };
      case "bigint":
        this.exactNumbers = true;
        return { name, elements: [{ ...opt, type: "INT64" }], convert: (v) => toBigint(v, path) };
      case "float":
        return { name, elements: [{ ...opt, type: "DOUBLE" }], convert: toNumber };
      case "boolean":
        return { name, elements: [{ ...opt, type: "BOOLEAN" }], convert: toBoolean };
      case "timestamp":
        return { name, elements: [{ ...opt, ...TIMESTAMP }], convert: (v) => toNanos(v, path) };
      case "json":
        return this.jsonColumn(name);
      case "object":
        return this.structColumn(name, vs.fields ?? [], path);
      case "array":
        return this.listColumn(name, vs.element ?? { type: "json" }, path);
      case "ref":
        // Resolved by column(); unreachable.
        return this.jsonColumn(name);
    }
  }

  private jsonColumn(name: string): Column {
    this.exactNumbers = true;
    return { name, elements: [{ name, repetition_type: "OPTIONAL", ...STRING }], convert: toJsonText };
  }

  private structColumn(name: string, fields: readonly FieldSchema[], path: string[]): Column {
    // A group needs at least one child.
    if (fields.length === 0) return this.jsonColumn(name);
    const children = fields.map((f) => this.column(f.name, f, path));
    const convert: Convert = (v) => {
      if (v === null || v === undefined) return null;
      if (typeof v !== "object" || Array.isArray(v)) throw new Unrepresentable(path, `expected an object, got ${JSON.stringify(v)}`);
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const c of children) {
        const x = o[c.name];
        if (x !== undefined && x !== null) out[c.name] = c.convert(x);
      }
      return out;
    };
    return {
      name,
      elements: [{ name, repetition_type: "OPTIONAL", num_children: children.length }, ...children.flatMap((c) => c.elements)],
      convert,
    };
  }

  private listColumn(name: string, element: ValueSchema, path: string[]): Column {
    const item = this.column("element", element, path);
    const convert: Convert = (v) => {
      if (v === null || v === undefined) return null;
      if (!Array.isArray(v)) throw new Unrepresentable(path, `expected an array, got ${JSON.stringify(v)}`);
      return v.map((x: unknown) => (x === null || x === undefined ? null : item.convert(x)));
    };
    return {
      name,
      elements: [
        { name, repetition_type: "OPTIONAL", converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        ...item.elements,
      ],
      convert,
    };
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

/** The last text converted and its value: p_parse_time and the like repeat across a chunk. */
let lastTime = "";
let lastNanos = 0n;

export function toNanos(v: unknown, path: string[] = []): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") throw new Unrepresentable(path, `expected a timestamp, got ${JSON.stringify(v)}`);
  if (v === lastTime) return lastNanos;
  const inst = parseRfc3339(v);
  if (inst instanceof TimeFailure) throw new Unrepresentable(path, `${JSON.stringify(v)} is not a timestamp: ${inst.message}`);
  const nanos = BigInt(inst.sec) * 1_000_000_000n + BigInt(inst.nsec);
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
