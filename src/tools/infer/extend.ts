/**
 * `hexlog infer --extend`: adds to an existing schema what sample events carry and it lacks, and
 * widens the types the samples disagree with, writing the change into the schema's own text.
 *
 * The text is edited in place at the yaml document model's node ranges, so comments, key order,
 * quoting and every untouched field stay byte for byte:
 * - new fields go at the end of their `fields` list, indented as its items, typed as `infer`
 *   would type them, but never `required` (events before the samples lack them) nor
 *   `isEventTime` (moving p_event_time is a breaking change: a note suggests it instead);
 * - a field whose samples disagree with its type is widened as `infer` widens (integer + float →
 *   float; other scalars → string; objects or arrays mixed with other values → json), with a
 *   warning: that is a breaking change for the data lake;
 * - a timestamp whose samples use another format gets the format appended to its list;
 * - a required field some samples lack loses `required`, with a warning.
 * Pure: schema text and the inferred schema in, new text and what changed out.
 */
import { Document, isMap, isScalar, isSeq, type Node, type Pair, visit, type YAMLMap } from "yaml";
import { buildLogType } from "../../engine/logtype.js";
// extendSchema compiles the schema synchronously.
import "../../engine/all-modules.js";
import { LosslessNumber } from "../../engine/lossless-json.js";
import { compileTimeFormat, TimeFailure, TimeFormatError, type TimeFormat } from "../../engine/time/index.js";
import { fieldKeys } from "../../output/schema-yaml.js";
import type { FieldSchema, FieldType, LogSchema, SchemaPath, ValueSchema } from "../../language/types.js";
import { parseSchemaText, type SchemaSource } from "../../language/yaml-source.js";
import { ELEMENT, valuesAt } from "../values-at.js";

export interface ExtendChange {
  /** Field path: `customer.email`, `items[].sku`. */
  path: string;
  kind: "added" | "widened" | "time-format" | "not-required";
  message: string;
  /** A warning: the change alters what the data lake holds (a type) or accepts. */
  warning: boolean;
}

export type ExtendOutcome =
  | { ok: true; text: string; changes: ExtendChange[]; notes: string[] }
  /** The schema cannot be extended: it does not validate, or a list is written in a form the edit cannot follow. */
  | { ok: false; problems: string[] };

interface Edit {
  start: number;
  end: number;
  text: string;
}

const INTEGERS: ReadonlySet<FieldType> = new Set(["int", "smallint", "bigint"]);
const SCALARS: ReadonlySet<FieldType> = new Set(["string", "int", "smallint", "bigint", "float", "boolean", "timestamp"]);
/** Keys that only mean something for some types, removed when a widened type no longer has them. */
const TYPE_KEYS: ReadonlyArray<[string, readonly FieldType[]]> = [
  ["fields", ["object"]],
  ["element", ["array"]],
  ["timeFormat", ["timestamp"]],
  ["timeFormats", ["timestamp"]],
  ["isEventTime", ["timestamp"]],
  ["validate", ["string"]],
  ["indicators", ["string", "array"]],
  ["isEmbeddedJSON", ["object", "array", "json"]],
];

/**
 * `events`: the samples (parsed JSON, numbers as LosslessNumber or numbers); a timestamp field is
 * only widened when some sample value is read by none of its formats.
 */
export function extendSchema(text: string, file: string, inferred: LogSchema, events: readonly unknown[] = []): ExtendOutcome {
  const { source, problems } = parseSchemaText(text, file);
  if (problems.length > 0) return { ok: false, problems: problems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`) };
  const built = buildLogType(source.value, file);
  if (!built.logType) {
    return { ok: false, problems: [`${file} is not a valid schema (run hexlog validate-schema ${file}); extend a valid one`] };
  }
  const x = new Extender(source, events);
  x.fields(built.logType.schema.fields, inferred.fields, [], [], built.logType.schema, 0);
  if (x.problems.length > 0) return { ok: false, problems: x.problems };
  const out = applyEdits(text, x.edits);
  // A safety net: the edited text must still be a valid schema.
  const again = buildLogType(parseSchemaText(out, file).source.value, file);
  if (!again.logType) return { ok: false, problems: [`extending ${file} would make it invalid (${again.issues[0]?.message ?? "unknown problem"}); nothing written`] };
  return { ok: true, text: out, changes: x.changes, notes: x.notes };
}

class Extender {
  readonly edits: Edit[] = [];
  readonly changes: ExtendChange[] = [];
  readonly notes: string[] = [];
  readonly problems: string[] = [];
  private readonly text: string;

  constructor(
    private readonly source: SchemaSource,
    private readonly events: readonly unknown[],
  ) {
    this.text = source.text;
  }

  private node(path: SchemaPath): unknown {
    return this.source.doc?.getIn(path, true);
  }

  private where(node: Node | undefined): string {
    const pos = node?.range ? this.source.lineCounter?.linePos(node.range[0]) : undefined;
    return pos ? `${this.source.file}:${pos.line}:${pos.col}` : this.source.file;
  }

  /** Compares one level: `doc` is where the owner of the `fields` list is written. */
  fields(have: readonly FieldSchema[], seen: readonly FieldSchema[], doc: SchemaPath, name: string[], schema: LogSchema, depth: number): void {
    if (depth > 64) return;
    const byName = new Map(have.map((f, i) => [f.name, i]));
    const seenNames = new Set(seen.map((f) => f.name));
    // A required field no sample has at all.
    have.forEach((f, i) => {
      if (f.required && !seenNames.has(f.name)) this.notRequired([...doc, "fields", i], fieldLabel([...name, f.name]));
    });
    const added: FieldSchema[] = [];
    for (const s of seen) {
      const i = byName.get(s.name);
      if (i === undefined) {
        added.push(this.newField(s, [...name, s.name]));
        continue;
      }
      this.field(have[i] as FieldSchema, s, [...doc, "fields", i], [...name, s.name], schema, depth);
    }
    if (added.length > 0) this.append([...doc, "fields"], added);
  }

  /** A field only the samples have, as it will be written. */
  private newField(s: FieldSchema, name: string[]): FieldSchema {
    const f = strip(s);
    const label = fieldLabel(name);
    this.changes.push({ path: label, kind: "added", message: `added ${label} (${typeWord(f)})`, warning: false });
    if (hasEventTime(s)) this.notes.push(`${label} looks like the event time; set isEventTime: true on it yourself if it is (that moves p_event_time, a breaking change)`);
    return f;
  }

  private field(have: FieldSchema, seen: FieldSchema, doc: SchemaPath, name: string[], schema: LogSchema, depth: number): void {
    const label = fieldLabel(name);
    if (have.required && !seen.required) this.notRequired(doc, label);
    this.value(have, seen, doc, name, schema, depth);
  }

  private notRequired(doc: SchemaPath, label: string): void {
    const pair = this.pair(doc, "required");
    if (!pair) return;
    this.removePair(pair);
    this.changes.push({ path: label, kind: "not-required", message: `${label} is no longer required: some samples lack it`, warning: true });
  }

  /** Compares a field's or an element's type with what the samples hold; widens or recurses. */
  private value(have: ValueSchema, seen: ValueSchema, doc: SchemaPath, name: string[], schema: LogSchema, depth: number): void {
    const label = fieldLabel(name);
    if (have.type === "ref") {
      // A definition may be shared by fields the samples say nothing about.
      if (seen.type !== "json") this.notes.push(`${label}: a ref to ${have.target ?? "?"} is not checked against the samples`);
      return;
    }
    let to = widened(have.type, seen.type);
    // infer knows a few time formats; the schema's own may read what infer took for text.
    if (have.type === "timestamp" && to !== "timestamp" && this.formatsRead(have.timeFormats ?? [], name)) to = "timestamp";
    if (to !== have.type) {
      this.retype(doc, have.type, to, label);
      return;
    }
    if (have.type === "timestamp" && seen.type === "timestamp") {
      const missing = (seen.timeFormats ?? []).filter((f) => !(have.timeFormats ?? []).includes(f));
      if (missing.length > 0) this.addFormats(doc, have.timeFormats ?? [], missing, label);
      return;
    }
    if (have.type === "object" && seen.type === "object") {
      this.fields(have.fields ?? [], seen.fields ?? [], doc, name, schema, depth + 1);
      return;
    }
    if (have.type === "array" && seen.type === "array" && have.element && seen.element) {
      const elementName = [...name.slice(0, -1), `${name[name.length - 1] ?? ""}[]`];
      this.value(have.element, seen.element, [...doc, "element"], elementName, schema, depth + 1);
    }
  }

  /** Whether every sample value at the field is read by one of the formats (the engine's parsers decide). */
  private formatsRead(specs: readonly string[], name: readonly string[]): boolean {
    const formats = specs.map(compileTimeFormat).filter((f): f is TimeFormat => !(f instanceof TimeFormatError));
    const ctx = { nowSec: Math.floor(Date.now() / 1000) };
    const path = name.flatMap((n) => (n.endsWith("[]") ? [n.slice(0, -2), ELEMENT] : [n]));
    for (const v of this.events.flatMap((e) => valuesAt(e, path))) {
      if (v === "") continue;
      const read = formats.some((f) => {
        const r = typeof v === "string" ? f.fromString(v, ctx) : v instanceof LosslessNumber ? f.fromNumber?.(v.text, ctx) : typeof v === "number" ? f.fromNumber?.(String(v), ctx) : undefined;
        return r !== undefined && !(r instanceof TimeFailure);
      });
      if (!read) return false;
    }
    return true;
  }

  private retype(doc: SchemaPath, from: FieldType, to: FieldType, label: string): void {
    const typeNode = this.node([...doc, "type"]);
    if (!isScalar(typeNode) || !typeNode.range) {
      this.problems.push(`${this.where(undefined)}: cannot find the type of ${label} to widen it`);
      return;
    }
    this.edits.push({ start: typeNode.range[0], end: typeNode.range[1], text: to });
    for (const [key, types] of TYPE_KEYS) {
      if (types.includes(to)) continue;
      const pair = this.pair(doc, key);
      if (pair) this.removePair(pair);
    }
    this.changes.push({ path: label, kind: "widened", message: `${label} widened from ${from} to ${to}: the samples hold values a ${from} cannot (a type change in the data lake)`, warning: true });
  }

  private addFormats(doc: SchemaPath, have: readonly string[], add: readonly string[], label: string): void {
    const owner = this.node(doc);
    if (!isMap(owner)) return;
    const single = this.pair(doc, "timeFormat");
    const list = this.pair(doc, "timeFormats");
    const all = [...have, ...add];
    if (single && isScalar(single.key) && single.key.range && isNode(single.value) && single.value.range) {
      this.edits.push({ start: single.key.range[0], end: single.key.range[1], text: "timeFormats" });
      this.edits.push({ start: single.value.range[0], end: single.value.range[1], text: flowList(all) });
    } else if (list && isSeq(list.value) && list.value.range) {
      const seq = list.value;
      if (seq.flow || seq.items.length === 0) {
        this.edits.push({ start: seq.range![0], end: seq.range![1], text: flowList(all) });
      } else {
        const indent = this.column(seq.range![0]);
        this.insertAfter(seq.items[seq.items.length - 1] as Node, add.map((f) => `${" ".repeat(indent)}- ${scalarText(f)}\n`).join(""));
      }
    } else {
      return;
    }
    this.changes.push({ path: label, kind: "time-format", message: `${label}: time format${add.length === 1 ? "" : "s"} ${add.join(", ")} added for the samples' values`, warning: false });
  }

  /** Appends fields to the block list at `path`. */
  private append(path: SchemaPath, fields: readonly FieldSchema[]): void {
    const seq = this.node(path);
    if (!isSeq(seq) || seq.flow || seq.items.length === 0 || !seq.range) {
      const at = isSeq(seq) ? this.where(seq) : this.source.file;
      this.problems.push(`${at}: the fields list is written inline ([...]); write it as a block list (- name: …) to extend it`);
      return;
    }
    const indent = this.column(seq.range[0]);
    const doc = new Document(fields.map(fieldKeys), { compat: "yaml-1.1" });
    // Short lists of words (indicators, time formats) read best inline, as hand-written schemas have them.
    visit(doc, {
      Seq(_, node) {
        if (node.items.length > 0 && node.items.every(isScalar)) node.flow = true;
      },
    });
    const rendered = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
    const block = rendered
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => `${" ".repeat(indent)}${l}\n`)
      .join("");
    this.insertAfter(seq.items[seq.items.length - 1] as Node, block);
  }

  /** Inserts whole lines after the line where `node` ends. */
  private insertAfter(node: Node, lines: string): void {
    const end = node.range?.[1] ?? this.text.length;
    const at = this.lineEnd(end);
    this.edits.push({ start: at, end: at, text: at === this.text.length && !this.text.endsWith("\n") ? `\n${lines}` : lines });
  }

  /** The position after the newline ending the line holding position `pos - 1` (a node's end is exclusive). */
  private lineEnd(pos: number): number {
    if (pos > 0 && this.text[pos - 1] === "\n") return pos;
    const nl = this.text.indexOf("\n", pos);
    return nl < 0 ? this.text.length : nl + 1;
  }

  private column(pos: number): number {
    return (this.source.lineCounter?.linePos(pos).col ?? 1) - 1;
  }

  private pair(doc: SchemaPath, key: string): Pair | undefined {
    const owner = this.node(doc);
    if (!isMap(owner)) return undefined;
    return (owner as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === key);
  }

  /** Removes a `key: value` pair written on lines of its own (with the comments on those lines). */
  private removePair(pair: Pair): void {
    if (!isScalar(pair.key) || !pair.key.range) return;
    const start = pair.key.range[0];
    const lineStart = this.text.lastIndexOf("\n", start - 1) + 1;
    if (this.text.slice(lineStart, start).trim() !== "") {
      // `{type: x, required: true}` inline: not taken apart here.
      this.problems.push(`${this.where(pair.key as Node)}: ${String(pair.key.value)} is written inline; write the field as a block mapping to extend it`);
      return;
    }
    const value = pair.value as Node | null;
    const end = this.lineEnd(value?.range?.[1] ?? pair.key.range[1]);
    this.edits.push({ start: lineStart, end, text: "" });
  }
}



function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && "range" in v;
}

/**
 * The type that holds both what the schema says and what the samples hold, as infer widens:
 * integers + float → float; a string takes any scalar; other scalar mixes → string; an object
 * or array against anything else → json.
 */
export function widened(have: FieldType, seen: FieldType): FieldType {
  if (have === seen || have === "json" || have === "ref") return have;
  if (seen === "json") return "json";
  const haveScalar = SCALARS.has(have);
  const seenScalar = SCALARS.has(seen);
  if (haveScalar && seenScalar) {
    if (have === "string") return "string";
    if (INTEGERS.has(have) && INTEGERS.has(seen)) return have;
    if (have === "float" && INTEGERS.has(seen)) return "float";
    if (INTEGERS.has(have) && seen === "float") return "float";
    // Numbers seen where unix times are read stay timestamps.
    if (have === "timestamp" && (INTEGERS.has(seen) || seen === "float")) return "timestamp";
    return "string";
  }
  return "json";
}

/** What a new field is written as: no `required`, no `isEventTime`, at any depth. */
function strip(f: FieldSchema): FieldSchema {
  const { required: _r, ...rest } = f;
  return stripValue(rest) as FieldSchema;
}

function stripValue<T extends ValueSchema>(v: T): T {
  const { isEventTime: _e, ...rest } = v;
  const out = { ...rest } as T;
  if (v.fields) out.fields = v.fields.map((f) => stripValue(f));
  if (v.element) out.element = stripValue(v.element);
  return out;
}

function hasEventTime(v: ValueSchema): boolean {
  return v.isEventTime === true || (v.fields ?? []).some(hasEventTime);
}

function typeWord(v: ValueSchema): string {
  return v.type === "array" && v.element ? `array of ${typeWord(v.element)}` : v.type;
}

function fieldLabel(name: readonly string[]): string {
  return name.join(".").replace(/\.\[\]/g, "[]");
}

function scalarText(s: string): string {
  return new Document(s, { compat: "yaml-1.1" }).toString({ flowCollectionPadding: false }).trimEnd();
}

function flowList(items: readonly string[]): string {
  return `[${items.map(scalarText).join(", ")}]`;
}

/** Applies non-overlapping edits (positions in the original text). */
function applyEdits(text: string, edits: readonly Edit[]): string {
  // From the end backwards; at one position the later edit goes first, so that the earlier one
  // (a nested list's new fields) ends up before it (its parent list's).
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.e.end - a.e.end || b.i - a.i).map(({ e }) => e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
