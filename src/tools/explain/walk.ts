/**
 * The field walk of `hexlog explain`: the schema read as an interpreter would, one field at a
 * time, recording each step. The engine itself runs generated code (engine/compile.ts), which is
 * not slowed down for this; instead the walk calls the very functions that code calls — coercion,
 * time formats, validate checks, transformations, indicator scanners — in the same order, so its
 * values are the engine's. Tests check each walk's record against the engine's record.
 *
 * Unlike the engine, the walk goes on after a field fails, so one run shows every problem; the
 * first one in schema order is the engine's error.
 */
import * as coerce from "../../engine/coerce.js";
import { FieldError, formatPath, NEED_LOSSLESS, type FieldPath } from "../../engine/errors.js";
import { INDICATORS, P_ANY_FIELDS, type IndicatorSink } from "../../engine/indicators/index.js";
import { LosslessNumber } from "../../engine/lossless-json.js";
import { restoreRaw } from "../../engine/raw-json.js";
import { compileTimeFormat, TimeFormatError, type TimeFormat } from "../../engine/time/index.js";
import * as transform from "../../engine/transform.js";
import type { FieldSchema, LogSchema, ValueSchema } from "../../language/types.js";
import type { EventTimeTrace, FieldTrace, TransformationTrace } from "./trace.js";

const INT_RANGES: Record<string, [number, number]> = {
  int: [-2147483648, 2147483647],
  smallint: [-32768, 32767],
};

/** The walk's counterpart of the engine's EventState: coercion context and indicator sink. */
class TraceState implements coerce.CoerceState, IndicatorSink {
  hasRaw = false;
  /** The walk reads events losslessly when literals matter; json values are not re-checked. */
  readonly inexactNumbers = false;
  eventTime: string | null = null;
  eventTimeField: string | undefined;
  readonly lists: string[][] = P_ANY_FIELDS.map(() => []);
  /** Where the scanner running now reports what it finds. */
  hits: Array<{ indicator: string; field: string; value: string }> | undefined;
  scanner = "";

  constructor(
    readonly lossless: boolean,
    readonly nowSec: number,
  ) {}

  add(field: number, value: string): void {
    // The engine's EventState drops empty values too.
    if (value === "") return;
    this.lists[field]?.push(value);
    this.hits?.push({ indicator: this.scanner, field: P_ANY_FIELDS[field] as string, value });
  }
}

/** A record level: keys in schema order (JS objects would put index-like keys first). */
class Ordered {
  readonly entries: Array<[string, unknown]> = [];
}

export interface WalkResult {
  fields: FieldTrace[];
  /** The engine's error for this log type: the first failure in schema order. */
  error?: { path: string; message: string };
  /** The schema fields as JSON text, when no field failed. */
  record?: string;
  eventTime?: EventTimeTrace;
  indicators?: Record<string, string[]>;
}

/** The walk met a number whose literal text matters (the engine then re-reads the event losslessly). */
export class LosslessNeeded {
  constructor(readonly path: string) {}
}

/** Walks one event (a JSON object, or a text parser's fields). Throws LosslessNeeded where the engine's code throws NEED_LOSSLESS. */
export function walkEvent(schema: LogSchema, event: Record<string, unknown>, options: { lossless: boolean; nowSec: number; parseTime: string }): WalkResult {
  const state = new TraceState(options.lossless, options.nowSec);
  const w = new Walker(schema, state);
  let body: Ordered;
  try {
    body = w.object(schema.fields, event, [], "");
  } catch (e) {
    // The engine reports a stack overflow on absurdly deep input this way.
    if (e instanceof RangeError) return { fields: w.fields, error: { path: "", message: `event too deeply nested (${e.message})` } };
    if (e === NEED_LOSSLESS) throw new LosslessNeeded(w.fields.at(-1)?.path ?? "");
    throw e;
  }
  if (w.error) return { fields: w.fields, error: w.error };
  const indicators: Record<string, string[]> = {};
  state.lists.forEach((list, i) => {
    if (list.length > 0) indicators[P_ANY_FIELDS[i] as string] = [...new Set(list)].sort();
  });
  return {
    fields: w.fields,
    record: restoreRaw(serialize(body)),
    eventTime: eventTimeTrace(schema, state, w.eventTimeFields, options.parseTime),
    indicators,
  };
}

function eventTimeTrace(schema: LogSchema, state: TraceState, seen: readonly FieldTrace[], parseTime: string): EventTimeTrace {
  if (state.eventTime !== null) return { value: state.eventTime, field: state.eventTimeField as string };
  let fallback: string;
  if (seen.length > 0) fallback = `no value in the isEventTime field${seen.length > 1 ? "s" : ""} ${seen.map((t) => t.path).join(", ")}`;
  else if (declaresEventTime(schema)) fallback = "the isEventTime fields are not in this event";
  else fallback = "the schema marks no field isEventTime";
  return { value: parseTime, fallback: `${fallback}, so p_event_time is p_parse_time` };
}

function declaresEventTime(schema: LogSchema): boolean {
  const seen = new Set<ValueSchema>();
  const visit = (vs: ValueSchema | undefined): boolean => {
    if (!vs || seen.has(vs)) return false;
    seen.add(vs);
    if (vs.isEventTime) return true;
    if (vs.type === "ref") return visit(schema.definitions?.[vs.target ?? ""]);
    return (vs.fields ?? []).some(visit) || visit(vs.element);
  };
  return schema.fields.some(visit);
}

type ValueResult = { kind: "value"; value: unknown } | { kind: "null" } | { kind: "omit" } | { kind: "error" };

class Walker {
  readonly fields: FieldTrace[] = [];
  error: { path: string; message: string } | undefined;
  readonly eventTimeFields: FieldTrace[] = [];
  private readonly timeCache = new Map<string, TimeFormat>();

  constructor(
    private readonly schema: LogSchema,
    private readonly state: TraceState,
  ) {}

  private fail(trace: FieldTrace, out: FieldPath, e: unknown): ValueResult {
    if (e === NEED_LOSSLESS && this.error) {
      // The engine stopped at the first error and never re-read the event for this number.
      trace.status = "not-reached";
      trace.error = "needs the number's literal text, which the engine reads only for events that do not fail before";
      return { kind: "error" };
    }
    if (!(e instanceof FieldError)) throw e;
    const path = formatPath([...out, ...e.path]);
    trace.status = "error";
    trace.error = e.message;
    this.error ??= { path, message: e.message };
    return { kind: "error" };
  }

  object(fields: readonly FieldSchema[], o: Record<string, unknown>, out: FieldPath, inp: string): Ordered {
    const r = new Ordered();
    for (const f of fields) {
      const v = this.field(f, o, [...out, f.name], inp);
      if (v !== undefined) r.entries.push([f.name, v]);
    }
    return r;
  }

  /** One field of an object level; returns its record value, undefined when left out. */
  private field(f: FieldSchema, o: Record<string, unknown>, out: FieldPath, inp: string): unknown {
    const trace: FieldTrace = { path: formatPath(out), input: join(inp, f.name), type: this.typeName(f), status: "ok" };
    if (f.required) trace.required = true;
    this.fields.push(trace);
    const steps: TransformationTrace[] = [];
    const how: string[] = [];
    let v: unknown;
    const from = f.copy?.from ?? f.split?.from;
    try {
      if (f.rename) {
        v = ownKey(o, f.rename.from);
        trace.input = join(inp, f.rename.from);
        how.push(`renamed from ${JSON.stringify(f.rename.from)}`);
        steps.push({ kind: "rename", detail: `from key ${JSON.stringify(f.rename.from)} to ${JSON.stringify(f.name)}`, ...result(v) });
      } else if (from !== undefined) {
        const segments = from.split(".");
        v = segments.length === 1 ? ownKey(o, from) : transform.readPath(o, segments);
        trace.input = join(inp, from);
        how.push(`${f.copy ? "copied" : "split"} from ${JSON.stringify(from)}`);
        if (f.copy) steps.push({ kind: "copy", detail: `from ${JSON.stringify(from)} (which stays) to ${JSON.stringify(f.name)}`, ...result(v) });
      } else if (f.concat) {
        const { paths, separator } = f.concat;
        trace.input = paths.map((p) => join(inp, p)).join(" + ");
        how.push(`concatenated from ${paths.map((p) => JSON.stringify(p)).join(", ")}`);
        const parts = paths.map((p) => transform.readPath(o, p.split(".")));
        v = transform.concat(o, paths.map((p) => p.split(".")), separator, this.state);
        const present = paths.filter((_, i) => parts[i] !== undefined && parts[i] !== null);
        steps.push({
          kind: "concat",
          detail: `${present.length} of ${paths.length} paths present (${present.map((p) => JSON.stringify(p)).join(", ") || "none"}), joined with ${JSON.stringify(separator)}`,
          ...result(v),
        });
      } else {
        v = ownKey(o, f.name);
      }
      // Objects and arrays are shown field by field; their text only where it is the value (json) or wrong.
      if (v !== undefined && v !== null && !Array.isArray(v) && !coerce.isObject(v)) trace.raw = jsonText(v);
      if (f.split) {
        const { separator, index } = f.split;
        if (index !== undefined) how.push(`part ${index} of a split on ${JSON.stringify(separator)}`);
        if (v !== undefined && v !== null) {
          v = index === undefined ? transform.splitAll(v, separator, this.state) : transform.splitAt(v, separator, index, this.state);
          const which = index === undefined ? "all parts" : `part ${index}`;
          steps.push({ kind: "split", detail: `on ${JSON.stringify(separator)}, ${which}${from !== undefined ? ` (read from ${JSON.stringify(from)})` : ""}`, ...result(v) });
        }
      }
      if (f.mask && v !== undefined && v !== null) {
        v = transform.masker(f.mask)(v, this.state);
        const detail = f.mask.type === "redact" ? `redacted to ${JSON.stringify(f.mask.to)}` : `${f.mask.algorithm} hash${f.mask.salt ? " with salt" : ""}`;
        steps.push({ kind: "mask", detail, ...result(v) });
      }
    } catch (e) {
      if (steps.length > 0) trace.transformations = steps;
      this.fail(trace, out, e);
      return undefined;
    }
    if (steps.length > 0) trace.transformations = steps;
    const missing = (): void => {
      this.fail(trace, out, coerce.missing(how.length > 0 ? how.join(", ") : undefined));
    };
    if (v === undefined || v === null) {
      // A concat with no part present gives nothing, not a null from the input.
      trace.status = v === undefined || (f.concat && !f.rename && from === undefined) ? "absent" : "null";
      if (f.required) missing();
      this.markEventTime(f, trace);
      return undefined;
    }
    const r = this.value(f, v, trace, out, trace.input, false);
    if (r.kind === "null") {
      if (f.required) missing();
      return undefined;
    }
    return r.kind === "value" ? r.value : undefined;
  }

  /** isEventTime fields that had nothing to give still count for the fallback's explanation. */
  private markEventTime(vs: ValueSchema, trace: FieldTrace): void {
    const r = this.resolve(vs);
    if (r?.type === "timestamp" && r.isEventTime) {
      trace.eventTime = "no value";
      this.eventTimeFields.push(trace);
    }
  }

  private resolve(vs: ValueSchema): ValueSchema | undefined {
    let r: ValueSchema | undefined = vs;
    for (let n = 0; r?.type === "ref" && n <= 64; n++) r = this.schema.definitions?.[r.target ?? ""];
    return r;
  }

  private typeName(vs: ValueSchema): string {
    if (vs.type === "ref") return `ref ${vs.target ?? ""} → ${this.resolve(vs)?.type ?? "?"}`;
    if (vs.type === "array" && vs.element) return `array of ${this.typeName(vs.element)}`;
    return vs.type;
  }

  /** A non-null value against its declared type (the compiled `value` statements, step by step). */
  private value(vs: ValueSchema, v: unknown, trace: FieldTrace, out: FieldPath, inp: string, inArray: boolean): ValueResult {
    const def = this.resolve(vs);
    if (!def) return { kind: "error" };
    vs = def;
    const c = this.state;
    try {
      // Only these types decode (as in compile.ts); a string field keeps the text.
      if (vs.isEmbeddedJSON && typeof v === "string" && (vs.type === "json" || vs.type === "object" || vs.type === "array")) {
        const decoded = coerce.embedded(v, c);
        (trace.transformations ??= []).push({ kind: "embedded JSON", detail: "the string decoded as JSON", ...result(decoded === null ? undefined : decoded) });
        if (decoded === null) {
          trace.status = "empty";
          return { kind: "null" };
        }
        v = decoded;
      }
      switch (vs.type) {
        case "string": {
          let x: string;
          if (typeof v === "string") x = v;
          else {
            if (typeof v === "object") trace.raw ??= jsonText(v);
            x = coerce.toStr(v, c);
            trace.coercion = typeof v === "boolean" ? "boolean → string" : "number → string (its literal text)";
          }
          const checks: Array<[string, () => void]> = [];
          const { allow, deny, ip, cidr } = vs.validate ?? {};
          if (allow) checks.push([`allow (${allow.length} values)`, () => coerce.checkAllowed(x, new Set(allow))]);
          if (deny) checks.push([`deny (${deny.length} values)`, () => coerce.checkDenied(x, new Set(deny))]);
          if (ip) checks.push([`ip: ${ip}`, () => coerce.checkIp(x, ip)]);
          if (cidr) checks.push([`cidr: ${cidr}`, () => coerce.checkCidr(x, cidr)]);
          if (checks.length > 0) trace.validate = [];
          for (const [rule, check] of checks) {
            try {
              check();
              trace.validate?.push({ rule, ok: true });
            } catch (e) {
              if (e instanceof FieldError) trace.validate?.push({ rule, ok: false, message: e.message });
              throw e;
            }
          }
          this.scan(vs, x, trace);
          return this.leaf(trace, x);
        }
        case "int":
        case "smallint": {
          const [min, max] = INT_RANGES[vs.type] as [number, number];
          this.describeNumeric(v, vs.type, trace);
          return this.leafOrNull(trace, coerce.toInt(v, min, max, vs.type));
        }
        case "bigint": {
          this.describeNumeric(v, "bigint", trace);
          const x = coerce.toBigint(v, c);
          if (typeof x === "string") trace.coercion = `${trace.coercion ? `${trace.coercion}, ` : ""}kept exact (beyond 2^53)`;
          return this.leafOrNull(trace, x);
        }
        case "float":
          this.describeNumeric(v, "float", trace);
          return this.leafOrNull(trace, coerce.toFloat(v, c));
        case "boolean":
          if (typeof v === "string") trace.coercion = v === "" ? "empty string → no value" : "string → boolean";
          else if (typeof v !== "boolean") trace.coercion = "number → boolean";
          return this.leafOrNull(trace, coerce.toBool(v));
        case "timestamp":
          return this.timestamp(vs, v, trace, out);
        case "json":
          try {
            trace.raw ??= jsonText(v);
          } catch (e) {
            if (!(e instanceof RangeError)) throw e;
            // The engine fails here too, when it writes the record.
            const message = `cannot serialize the record: ${e.message}`;
            trace.status = "error";
            trace.error = message;
            this.error ??= { path: "", message };
            return { kind: "error" };
          }
          return this.leaf(trace, v);
        case "object": {
          if (!coerce.isObject(v)) {
            trace.raw ??= jsonText(v);
            throw coerce.fail(`expected an object, got ${coerce.show(v)}`);
          }
          return { kind: "value", value: this.object(vs.fields ?? [], v, out, inp) };
        }
        case "array": {
          if (!Array.isArray(v)) {
            trace.raw ??= jsonText(v);
            throw coerce.fail(`expected an array, got ${coerce.show(v)}`);
          }
          const element = vs.element as ValueSchema;
          const items: unknown[] = [];
          v.forEach((el: unknown, i) => {
            const path = [...out, i];
            const t: FieldTrace = { path: formatPath(path), input: `${inp}[${i}]`, type: this.typeName(element), status: "ok" };
            this.fields.push(t);
            if (el === undefined || el === null) {
              t.status = "null";
              items.push(null);
              return;
            }
            if (!Array.isArray(el) && !coerce.isObject(el)) t.raw = jsonText(el);
            const r = this.value(element, el, t, path, t.input, true);
            if (r.kind === "value") items.push(r.value);
            else if (r.kind === "null") items.push(null);
          });
          // An empty array is left out of a record, but keeps its place inside an array.
          if (items.length === 0 && !inArray) {
            trace.status = "empty";
            return { kind: "omit" };
          }
          return { kind: "value", value: items };
        }
        case "ref":
          // Resolved above; a ref to nothing was reported when the schema compiled.
          return { kind: "error" };
        default: {
          // Every type of the vocabulary has its case: a new one fails to compile here.
          const missing: never = vs.type;
          throw new Error(`explain has no step for field type ${String(missing)}`);
        }
      }
    } catch (e) {
      return this.fail(trace, out, e);
    }
  }

  private leaf(trace: FieldTrace, x: unknown): ValueResult {
    trace.output = jsonText(x);
    return { kind: "value", value: x };
  }

  private leafOrNull(trace: FieldTrace, x: unknown): ValueResult {
    if (x === null) {
      trace.status = "empty";
      return { kind: "null" };
    }
    return this.leaf(trace, x);
  }

  private describeNumeric(v: unknown, type: string, trace: FieldTrace): void {
    if (v === "") trace.coercion = "empty string → no value";
    else if (typeof v === "string") trace.coercion = `string → ${type}`;
  }

  private scan(vs: ValueSchema, x: string, trace: FieldTrace): void {
    const names = vs.indicators ?? [];
    if (names.length === 0) return;
    const hits: Array<{ indicator: string; field: string; value: string }> = [];
    this.state.hits = hits;
    for (const name of names) {
      const scanner = INDICATORS.get(name);
      if (!scanner) continue;
      this.state.scanner = name;
      scanner.scan(x, this.state);
    }
    this.state.hits = undefined;
    trace.indicators = hits;
  }

  private formats(specs: readonly string[]): TimeFormat[] {
    const out: TimeFormat[] = [];
    for (const spec of specs) {
      let f = this.timeCache.get(spec);
      if (!f) {
        const compiled = compileTimeFormat(spec);
        // A schema that compiled has only valid formats.
        if (compiled instanceof TimeFormatError) continue;
        this.timeCache.set(spec, (f = compiled));
      }
      out.push(f);
    }
    return out;
  }

  private timestamp(vs: ValueSchema, v: unknown, trace: FieldTrace, out: FieldPath): ValueResult {
    const c = this.state;
    const formats = this.formats(vs.timeFormats ?? []);
    const tried: NonNullable<FieldTrace["timeFormats"]> = [];
    trace.timeFormats = tried;
    if (v === "") {
      trace.coercion = "empty string → no value";
    } else if (typeof v === "string") {
      let done = false;
      for (const f of formats) {
        if (done) {
          tried.push({ format: f.spec, result: "not tried" });
          continue;
        }
        const r = f.fromString(v, c);
        if (typeof r === "string") {
          tried.push({ format: f.spec, result: "matched" });
          done = true;
        } else tried.push({ format: f.spec, result: "no match", message: r.message });
      }
    } else if (typeof v === "number" || v instanceof LosslessNumber) {
      // The same literal the engine reads (a fraction or a huge integer needs the lossless pass).
      if (typeof v === "number" && !Number.isSafeInteger(v) && !c.lossless) throw NEED_LOSSLESS;
      const literal = typeof v === "number" ? String(v) : v.text;
      trace.coercion = "number read by a numeric time format";
      let done = false;
      for (const f of formats) {
        if (done) {
          tried.push({ format: f.spec, result: "not tried" });
        } else if (!f.fromNumber) {
          tried.push({ format: f.spec, result: "no match", message: "reads strings only" });
        } else {
          const r = f.fromNumber(literal, c);
          if (typeof r === "string") {
            tried.push({ format: f.spec, result: "matched" });
            done = true;
          } else tried.push({ format: f.spec, result: "no match", message: r.message });
        }
      }
    }
    // The value itself comes from the engine's toTime; the list above says how it got there.
    const x = coerce.toTime(v, c, formats);
    if (x === null) {
      trace.status = "empty";
      this.markEventTime(vs, trace);
      return { kind: "null" };
    }
    if (vs.isEventTime) {
      this.eventTimeFields.push(trace);
      if (c.eventTime === null) {
        c.eventTime = x;
        c.eventTimeField = formatPath(out);
        trace.eventTime = "chosen";
      } else {
        trace.eventTime = "earlier field chose";
      }
    }
    return this.leaf(trace, x);
  }
}

/** Reads key `name` of `o` as generated code does (own keys only where the name is on Object.prototype). */
function ownKey(o: Record<string, unknown>, name: string): unknown {
  return name in Object.prototype ? (Object.hasOwn(o, name) ? o[name] : undefined) : o[name];
}

function join(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

function result(v: unknown): { result?: string } {
  return v === undefined || v === null ? {} : { result: jsonText(v) };
}

/** JSON text of an engine value: number literals and exact big integers as read. */
export function jsonText(v: unknown): string {
  return restoreRaw(serialize(v));
}

/** JSON text with raw markers still in (restoreRaw swaps them once, at the end). */
function serialize(v: unknown): string {
  if (v instanceof Ordered) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${serialize(x)}`).join(",")}}`;
  if (Array.isArray(v)) return `[${v.map(serialize).join(",")}]`;
  return JSON.stringify(v) ?? "null";
}
