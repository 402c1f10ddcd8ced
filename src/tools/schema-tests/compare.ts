/**
 * Compares an expected record (from a pantherlog test file) with the record hexlog produced, the
 * way pantherlog's test harness judges them: `p_row_id` and `p_parse_time` are ignored; a missing
 * expected `p_event_time` means no event time was found (it equals `p_parse_time`); timestamps
 * compare as instants, the expected one written in the field's own format or in RFC 3339;
 * everything else compares as JSON values (key order aside, numbers by exact value).
 *
 * It needs the schema to know which fields are timestamps, so it lives with the engine; it is
 * pure and returns every difference with its JSON path.
 */
import { formatPath } from "../../engine/errors.js";
import { LosslessNumber, type LosslessValue } from "../../engine/lossless-json.js";
import { compareInstants, compileTimeFormat, type Instant, parseRfc3339, TimeFailure, TimeFormatError, type TimeContext, type TimeFormat } from "../../engine/time/index.js";
import type { FieldSchema, LogSchema, ValueSchema } from "../../language/types.js";

export interface Difference {
  /** JSON path of the value, e.g. `event.targets[0].id` ("" for the whole record). */
  path: string;
  /** The expected value; undefined when the expectation does not have it. */
  expected: LosslessValue | undefined;
  /** The actual value; undefined when the record does not have it. */
  actual: LosslessValue | undefined;
  /** Why the values differ when it is not obvious from them. */
  note?: string;
}

/** What the schema says about a value: where timestamps are, and in which formats. */
type Shape =
  | { kind: "time"; formats: TimeFormat[]; wholeSeconds?: boolean }
  | { kind: "object"; fields: Map<string, Shape> }
  | { kind: "array"; element: Shape }
  | { kind: "plain" };

type JsonObject = { [key: string]: LosslessValue };
type Path = Array<string | number>;

const PLAIN: Shape = { kind: "plain" };
const EVENT_TIME: Shape = { kind: "time", formats: [] };
/** Deeper than any schema the compiler accepts; guards against cyclic refs slipping through. */
const MAX_DEPTH = 64;

/** Compares records of one log type; build it once per log type. */
export class RecordComparer {
  private readonly shape: Map<string, Shape>;

  constructor(schema: LogSchema) {
    const formats = new Map<string, TimeFormat>();
    this.shape = objectShape(schema.fields, schema, formats, 0);
  }

  /** Every difference between an expected and an actual record (none: they match). */
  compare(expected: LosslessValue, actual: LosslessValue, ctx: TimeContext): Difference[] {
    const out: Difference[] = [];
    if (!isObject(expected)) {
      out.push({ path: "", expected, actual, note: "an expected record must be a JSON object" });
      return out;
    }
    if (!isObject(actual)) {
      out.push({ path: "", expected, actual });
      return out;
    }
    const e: JsonObject = withoutIgnored(expected);
    const a: JsonObject = withoutIgnored(actual);
    if (!Object.hasOwn(e, "p_event_time")) {
      // pantherlog's rule: no expected event time means none of the event's fields provided one.
      const at = a.p_event_time;
      const parse = actual.p_parse_time;
      if (at !== undefined && !(typeof at === "string" && typeof parse === "string" && sameInstant(at, parse))) {
        out.push({ path: "p_event_time", expected: undefined, actual: at, note: "the expectation has no p_event_time, so no field may set one (it must equal p_parse_time)" });
      }
      delete a.p_event_time;
    }
    const shape = new Map(this.shape);
    shape.set("p_event_time", EVENT_TIME);
    this.objects(e, a, shape, [], ctx, out);
    return out;
  }

  private value(e: LosslessValue | undefined, a: LosslessValue | undefined, shape: Shape, path: Path, ctx: TimeContext, out: Difference[]): void {
    if (e === undefined || a === undefined) {
      if (e !== a) out.push({ path: formatPath(path), expected: e, actual: a });
      return;
    }
    if (shape.kind === "time" && typeof a === "string" && !(isObject(e) || Array.isArray(e))) {
      const d = timeDifference(e, a, shape.formats, ctx, shape.wholeSeconds === true);
      if (d) out.push({ path: formatPath(path), expected: e, actual: a, ...d });
      return;
    }
    if (isObject(e) && isObject(a)) {
      this.objects(e, a, shape.kind === "object" ? shape.fields : new Map(), path, ctx, out);
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      this.arrays(e, a, shape.kind === "array" ? shape.element : PLAIN, path, ctx, out);
      return;
    }
    if (!sameScalar(e, a)) out.push({ path: formatPath(path), expected: e, actual: a });
  }

  private objects(e: JsonObject, a: JsonObject, fields: Map<string, Shape>, path: Path, ctx: TimeContext, out: Difference[]): void {
    // Record order first (schema order), then what only the expectation has.
    const keys = [...Object.keys(a), ...Object.keys(e).filter((k) => !Object.hasOwn(a, k))];
    for (const k of keys) {
      const ev = Object.hasOwn(e, k) ? e[k] : undefined;
      const av = Object.hasOwn(a, k) ? a[k] : undefined;
      this.value(ev, av, fields.get(k) ?? PLAIN, [...path, k], ctx, out);
    }
  }

  private arrays(e: LosslessValue[], a: LosslessValue[], element: Shape, path: Path, ctx: TimeContext, out: Difference[]): void {
    // Lists of plain values (p_any_* lists, tags, times) read best whole; lists of objects element by element.
    if (e.every(isScalar) && a.every(isScalar)) {
      const same = e.length === a.length && e.every((x, i) => this.valueMatches(x, a[i], element, path, ctx));
      if (!same) out.push({ path: formatPath(path), expected: e, actual: a });
      return;
    }
    const n = Math.max(e.length, a.length);
    for (let i = 0; i < n; i++) this.value(e[i], a[i], element, [...path, i], ctx, out);
  }

  private valueMatches(e: LosslessValue, a: LosslessValue | undefined, shape: Shape, path: Path, ctx: TimeContext): boolean {
    const diffs: Difference[] = [];
    this.value(e, a, shape, path, ctx, diffs);
    return diffs.length === 0;
  }
}

/**
 * What a test would expect of a record, as pantherlog tests write it: the record without
 * p_row_id and p_parse_time, and without p_event_time when no field provided one.
 */
export function expectationOf(record: LosslessValue): LosslessValue {
  if (!isObject(record)) return record;
  const out = withoutIgnored(record);
  if (record.p_event_time !== undefined && record.p_event_time === record.p_parse_time) delete out.p_event_time;
  return out;
}

/** Undefined when both name the same instant; otherwise what to add to the difference. */
function timeDifference(e: LosslessValue, a: string, formats: readonly TimeFormat[], ctx: TimeContext, wholeSeconds: boolean): { note?: string } | undefined {
  const actual = parseRfc3339(a);
  if (actual instanceof TimeFailure) return e === a ? undefined : {};
  const expected = expectedInstant(e, formats, ctx);
  if (expected === undefined) {
    const names = [...formats.map((f) => f.spec).filter((s) => s !== "rfc3339"), "RFC 3339"];
    return { note: `the expected value is not a time in ${names.join(" or ")}` };
  }
  if (compareInstants(expected, actual) === 0) return undefined;
  // Printed by Panther without a fraction: a whole-second expectation names the actual's second.
  if (wholeSeconds && expected.nsec === 0 && expected.sec === actual.sec) return undefined;
  return {};
}

/**
 * Formats Panther prints at whole seconds (RFC 3339 without a fraction) whatever the input's
 * precision, so its test files expect `2020-09-17T18:49:46Z` for `1600368586194526741`.
 */
const WHOLE_SECOND_FORMATS: ReadonlySet<string> = new Set(["cloudflare"]);

/** The instant an expected timestamp names: in one of the field's formats, else RFC 3339. */
function expectedInstant(e: LosslessValue, formats: readonly TimeFormat[], ctx: TimeContext): Instant | undefined {
  if (e === "") return undefined;
  for (const f of formats) {
    let r: string | TimeFailure | undefined;
    if (typeof e === "string") r = f.fromString(e, ctx);
    else if (e instanceof LosslessNumber && f.fromNumber) r = f.fromNumber(e.text, ctx);
    if (typeof r === "string") {
      const i = parseRfc3339(r);
      if (!(i instanceof TimeFailure)) return i;
    }
  }
  if (typeof e !== "string") return undefined;
  const i = parseRfc3339(e);
  return i instanceof TimeFailure ? undefined : i;
}

function sameInstant(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseRfc3339(a);
  const y = parseRfc3339(b);
  return !(x instanceof TimeFailure) && !(y instanceof TimeFailure) && compareInstants(x, y) === 0;
}

function withoutIgnored(o: JsonObject): JsonObject {
  const copy: JsonObject = Object.create(null) as JsonObject;
  for (const k of Object.keys(o)) {
    if (k !== "p_row_id" && k !== "p_parse_time") copy[k] = o[k] as LosslessValue;
  }
  return copy;
}

function isObject(v: LosslessValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof LosslessNumber);
}

function isScalar(v: LosslessValue): boolean {
  return !Array.isArray(v) && !isObject(v);
}

function sameScalar(e: LosslessValue, a: LosslessValue): boolean {
  if (e instanceof LosslessNumber && a instanceof LosslessNumber) return numberKey(e.text) === numberKey(a.text);
  return e === a;
}

/**
 * A number literal's exact value as a canonical key: `1`, `1.0`, `10e-1` and `0.1e1` all give
 * `1e0`. Exact at any size, unlike pantherlog's float64 comparison.
 */
export function numberKey(text: string): string {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m) return text;
  const fraction = m[3] ?? "";
  let digits = (m[2] as string) + fraction;
  let exp = Number(m[4] ?? "0") - fraction.length;
  digits = digits.replace(/^0+/, "");
  if (digits === "") return "0";
  const trimmed = digits.replace(/0+$/, "");
  exp += digits.length - trimmed.length;
  return `${m[1]}${trimmed}e${exp}`;
}

function objectShape(fields: readonly FieldSchema[], schema: LogSchema, formats: Map<string, TimeFormat>, depth: number): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const f of fields) out.set(f.name, valueShape(f, schema, formats, depth + 1));
  return out;
}

function valueShape(vs: ValueSchema, schema: LogSchema, formats: Map<string, TimeFormat>, depth: number): Shape {
  if (depth > MAX_DEPTH) return PLAIN;
  let v: ValueSchema | undefined = vs;
  for (let hops = 0; v && v.type === "ref" && hops <= MAX_DEPTH; hops++) v = schema.definitions?.[v.target ?? ""];
  if (!v) return PLAIN;
  switch (v.type) {
    case "timestamp": {
      const specs = v.timeFormats ?? [];
      const shape: Shape = { kind: "time", formats: specs.map((spec) => timeFormat(spec, formats)).filter((f): f is TimeFormat => f !== undefined) };
      if (specs.some((s) => WHOLE_SECOND_FORMATS.has(s))) shape.wholeSeconds = true;
      return shape;
    }
    case "object":
      return { kind: "object", fields: objectShape(v.fields ?? [], schema, formats, depth) };
    case "array":
      return v.element ? { kind: "array", element: valueShape(v.element, schema, formats, depth + 1) } : PLAIN;
    default:
      return PLAIN;
  }
}

function timeFormat(spec: string, cache: Map<string, TimeFormat>): TimeFormat | undefined {
  let f = cache.get(spec);
  if (!f) {
    const compiled = compileTimeFormat(spec);
    if (compiled instanceof TimeFormatError) return undefined;
    f = compiled;
    cache.set(spec, f);
  }
  return f;
}
