/**
 * Test coverage of a log schema (`hexlog test --coverage`): what of the schema the tests'
 * records exercise. Worked out from the schema, the test inputs and the records alone, without
 * instrumenting the compiled normalizer:
 * - a field is covered when some record has it (nested fields and array elements included);
 * - an indicator kind of a field is covered when its scanner finds in the field's value a value
 *   the record's p_any_* field holds;
 * - with several `timeFormats`, a format is covered when it is the first one, in order, that
 *   reads some input value of the field (the engine's own time parsers decide);
 * - a transformation is covered when its field is in some record (its value only comes from it);
 * - an `isEventTime` field is covered when some record's p_event_time is its value.
 * Pure: events and records in, a report out.
 */
import { LosslessNumber, parseLossless } from "../engine/lossless-json.js";
import { INDICATORS, P_ANY_FIELDS, type IndicatorSink } from "../engine/indicators/index.js";
import { SKIP, LineFailure, type CompiledTextParser } from "../engine/parsers/index.js";
import { compileTimeFormat, TimeFailure, TimeFormatError, type TimeContext } from "../engine/time/index.js";
import { JsonFramer, LineFramer, type FramedEvent } from "../input/framing.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../pipeline/limits.js";
import type { SchemaCoverage } from "../output/coverage-report.js";
import { TRANSFORMATIONS, type FieldSchema, type LogSchema, type ValueSchema } from "../language/types.js";
import { ELEMENT, valuesAt } from "./values-at.js";

export type { SchemaCoverage };

/** One test's input and the records it produced. */
export interface CoverageCase {
  /** The test's input as written: JSON values, or lines for text schemas. */
  input: string;
  records: readonly unknown[];
}

/** Where a field sits: its label and how to reach it in inputs and records. */
interface FieldSite {
  label: string;
  field: FieldSchema;
  /** The value schema with refs resolved. */
  value: ValueSchema;
  /** Output names from the record's root; `[]` marks "each element of the array here". */
  path: string[];
  /** Input key (or dotted path for copy) from the enclosing input object, when it is read directly. */
  inputKey: string | undefined;
  /** Path of enclosing input keys (arrays marked `[]`). */
  inputParent: string[];
}

/** Deeper than the compiler accepts; a guard against ref cycles. */
const MAX_DEPTH = 64;

/** Coverage of one schema by its tests' cases. */
export function schemaCoverage(schema: LogSchema, cases: readonly CoverageCase[], text?: CompiledTextParser, now: TimeContext = { nowSec: Math.floor(Date.now() / 1000) }): SchemaCoverage {
  const sites = fieldSites(schema);
  const records = cases.flatMap((c) => c.records.filter(isObject));
  const inputs = cases.flatMap((c) => inputObjects(c.input, text));
  const missing: SchemaCoverage["missing"] = { fields: [], indicators: [], timeFormats: [], transformations: [], eventTime: [] };
  let covered = 0;
  let total = 0;
  const count = (ok: boolean): boolean => {
    total++;
    if (ok) covered++;
    return ok;
  };

  for (const site of sites) {
    const values = records.flatMap((r) => presentAt(r, site.path));
    const present = values.length > 0;
    if (!count(present)) missing.fields.push(site.label);

    for (const kind of site.value.indicators ?? site.field.indicators ?? []) {
      if (!count(extracted(kind, records, site.path))) missing.indicators.push({ field: site.label, kind });
    }
    const formats = site.value.timeFormats ?? [];
    if (site.value.type === "timestamp" && formats.length > 1) {
      const matched = matchedFormats(formats, inputs.flatMap((o) => inputValuesAt(o, site)), now);
      for (const format of formats) if (!count(matched.has(format))) missing.timeFormats.push({ field: site.label, format });
    }
    for (const kind of TRANSFORMATIONS) {
      if (site.field[kind] !== undefined && !count(present)) missing.transformations.push({ field: site.label, kind });
    }
    if (site.field.isEventTime || site.value.isEventTime) {
      const exercised = records.some((r) => {
        const at = r.p_event_time;
        return typeof at === "string" && presentAt(r, site.path).some((v) => v === at);
      });
      if (!count(exercised)) missing.eventTime.push(site.label);
    }
  }
  const percent = total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10;
  return { logType: schema.schema, tests: cases.length, covered, total, percent, missing };
}

/** Every field of the schema, nested ones and array elements' fields included, in schema order. */
function fieldSites(schema: LogSchema): FieldSite[] {
  const out: FieldSite[] = [];
  const resolve = (v: ValueSchema): ValueSchema => {
    let value = v;
    for (let n = 0; n < 8 && value.type === "ref" && value.target !== undefined; n++) {
      const def = schema.definitions?.[value.target];
      if (def === undefined) break;
      value = def;
    }
    return value;
  };
  const walk = (fields: readonly FieldSchema[], path: string[], label: string, inputParent: string[] | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const field of fields) {
      const value = resolve(field);
      const own = [...path, field.name];
      const fieldLabel = label === "" ? field.name : `${label}.${field.name}`;
      // Only fields read from their own key (or renamed, or copied) have input values to look at.
      const inputKey = field.rename ? field.rename.from : field.copy ? field.copy.from : field.concat || field.split ? undefined : field.name;
      out.push({ label: fieldLabel, field, value, path: own, inputKey, inputParent: inputParent ?? [] });
      const childInput = inputParent !== undefined && inputKey !== undefined && !field.copy && !field.isEmbeddedJSON ? [...inputParent, inputKey] : undefined;
      if (value.type === "object") walk(value.fields ?? [], own, fieldLabel, childInput, depth + 1);
      if (value.type === "array" && value.element) {
        const el = resolve(value.element);
        if (el.type === "object") walk(el.fields ?? [], [...own, ELEMENT], `${fieldLabel}[]`, childInput && [...childInput, ELEMENT], depth + 1);
      }
    }
  };
  walk(schema.fields, [], "", [], 0);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof LosslessNumber);
}

/** The values at a path of output names (array elements expanded); nulls and empty lists are absent. */
function presentAt(root: unknown, path: readonly string[]): unknown[] {
  return valuesAt(root, path).filter((v) => !(Array.isArray(v) && v.length === 0));
}

/** The raw input values of a field: its key (or dotted copy path) under its enclosing input objects. */
function inputValuesAt(input: unknown, site: FieldSite): unknown[] {
  if (site.inputKey === undefined) return [];
  const parents = presentAt(input, site.inputParent);
  const keyPath = site.field.copy ? site.inputKey.split(".") : [site.inputKey];
  return parents.flatMap((p) => presentAt(p, keyPath));
}

/** The input's events as the objects the normalizer reads: JSON values (numbers exact), or a text parser's fields. */
function inputObjects(input: string, text: CompiledTextParser | undefined): unknown[] {
  // Framed as the pipeline frames a test's input: lines for text schemas, JSON values otherwise.
  const events: FramedEvent[] = [];
  const framer = text ? new LineFramer({ maxEventBytes: DEFAULT_MAX_EVENT_BYTES }) : new JsonFramer({ maxEventBytes: DEFAULT_MAX_EVENT_BYTES });
  framer.push(Buffer.from(input, "utf8"), events);
  framer.end(events);
  const good = events.filter((e) => e.error === undefined);
  if (text) {
    const parser = text.open();
    const out: unknown[] = [];
    for (const ev of good) {
      const r = parser.parse(ev.raw);
      if (r !== SKIP && !(r instanceof LineFailure)) out.push({ ...r });
    }
    return out;
  }
  return good.flatMap((ev) => {
    try {
      return [parseLossless(ev.raw)];
    } catch {
      return [];
    }
  });
}

/** For each value, the first format (in order) that reads it, as the engine tries them. */
function matchedFormats(specs: readonly string[], values: readonly unknown[], ctx: TimeContext): Set<string> {
  const formats = specs.map((s) => ({ spec: s, format: compileTimeFormat(s) }));
  const matched = new Set<string>();
  for (const v of values) {
    for (const { spec, format } of formats) {
      if (format instanceof TimeFormatError) continue;
      let out: string | TimeFailure | undefined;
      if (typeof v === "string" && v !== "") out = format.fromString(v, ctx);
      else if (v instanceof LosslessNumber) out = format.fromNumber?.(v.text, ctx);
      if (out !== undefined && !(out instanceof TimeFailure)) {
        matched.add(spec);
        break;
      }
    }
  }
  return matched;
}

/** Whether the indicator scanner finds in the field's values something a record's p_any_* field holds. */
function extracted(kind: string, records: readonly Record<string, unknown>[], path: readonly string[]): boolean {
  const scanner = INDICATORS.get(kind);
  if (!scanner) return false;
  const found: Array<{ field: string; value: string }> = [];
  const sink: IndicatorSink = { add: (field, value) => found.push({ field: P_ANY_FIELDS[field] as string, value }) };
  for (const record of records) {
    found.length = 0;
    for (const v of presentAt(record, path)) {
      for (const s of Array.isArray(v) ? v : [v]) if (typeof s === "string") scanner.scan(s, sink);
    }
    for (const f of found) {
      const any = record[f.field];
      if (Array.isArray(any) && any.includes(f.value)) return true;
    }
  }
  return false;
}
