/**
 * Compiles a checked log schema into a specialised normalizer: one generated JavaScript function
 * per object level and per array, with field names, coercions, checks and indicator scanners
 * baked in. The hot loop then runs straight-line code instead of interpreting the schema.
 *
 * A normalizer reads a parsed JSON object and returns a new object holding the record's schema
 * fields in schema order, coerced, with nulls and empty arrays left out; the engine adds the p_
 * fields and serializes it with the native JSON.stringify. Indicators and the event time land in the
 * EventState passed along. Failures are thrown as FieldError (with the field path) or
 * NEED_LOSSLESS, and turned into values by the engine boundary (normalize.ts).
 */
import * as coerce from "./coerce.js";
import { at } from "./errors.js";
import { isIndexLikeName, orderedJson, rawMarker } from "./raw-json.js";
import { INDICATORS, redundantIndicator } from "./indicators/index.js";
import type { EventState } from "./state.js";
import { compileTimeFormat } from "./time/index.js";
import { TimeFormatError, type TimeFormat } from "./time/format.js";
import * as transform from "./transform.js";
import { didYouMean } from "../language/suggest.js";
import { looksLikePattern, TIME_FORMAT_NAMES } from "../language/vocabulary/time-formats.js";
import { hasSource, type FieldSchema, type LogSchema, type SchemaIssue, type SchemaPath, type ValueSchema } from "../language/types.js";

/** Returns the record's schema fields: an object in schema order, or JSON text when the top level has index-like names. */
export type BodyFunction = (o: Record<string, unknown>, c: EventState) => Record<string, unknown> | string;

/**
 * The record's schema fields written straight to JSON text, for a flat record of strings (a text
 * parser's): the record's opening brace and each present field as `"name":value`, the last one
 * left open for the p_ fields to follow in one piece: `c.open` says what it still needs (see
 * EventState.open); "" when no field is present. Its fields are JSON.stringify's for the object
 * `body` returns.
 */
export type WriterFunction = (o: Record<string, unknown>, c: EventState) => string;

/** Which input paths a schema knows, for reporting unknown (dropped) fields. */
export type Shape =
  | { kind: "object"; fields: Map<string, Shape> }
  | { kind: "array"; element: Shape }
  | { kind: "leaf" };

export interface CompiledSchema {
  /** Builds a new record object; leaves the input untouched (needed when classifying). */
  body: BodyFunction;
  /** Coerces the input object in place when its keys allow, returning it (a single log type). */
  bodyInPlace: BodyFunction;
  shape: Shape;
  /** Has json fields: their number literals are checked (see number-literals.ts). */
  hasJson: boolean;
  /**
   * `body` as JSON text without the object (see WriterFunction), when every top-level field is
   * a single value (no object, array or json field).
   */
  writer?: WriterFunction | undefined;
}

/** Field types a writer serializes itself (a single JSON value each). */
const SCALAR_TYPES: ReadonlySet<string> = new Set(["string", "int", "smallint", "bigint", "float", "boolean", "timestamp"]);

const MAX_NESTING = 64;


const INT_RANGES: Record<"int" | "smallint", [number, number]> = {
  int: [-2147483648, 2147483647],
  smallint: [-32768, 32767],
};

class Generator {
  readonly fns: string[] = [];
  readonly consts: unknown[] = [];
  readonly issues: SchemaIssue[] = [];
  private count = 0;
  /** Generating writerFn: integers are coerced to their JSON text. */
  private writingText = false;
  /** The schema has json fields (their numbers need the lossless check). */
  hasJson = false;
  private readonly timeCache = new Map<string, TimeFormat | TimeFormatError>();
  /** Definitions being expanded along the current nesting path: meeting one again is a cycle. */
  private readonly expanding: string[] = [];
  /** Building functions already emitted, per field list and `top:depth`. */
  private readonly built = new Map<readonly FieldSchema[], Map<string, string>>();
  /** Definitions compiled at least once (the others are checked on their own). */
  readonly used = new Set<string>();

  constructor(
    private readonly schema: LogSchema,
    /** See compileSchema. */
    private readonly plain: ReadonlySet<string> = new Set(),
  ) {}

  constant(value: unknown): string {
    this.consts.push(value);
    return `K[${this.consts.length - 1}]`;
  }

  error(path: SchemaPath, rule: string, message: string): void {
    this.issues.push({ path, rule, message, severity: "error" });
  }

  /**
   * Emits a function for one object level; returns its name. The function builds a new object
   * with the declared fields in schema order (JS keeps insertion order, except for index-like
   * keys: such levels are written to JSON text by hand).
   *
   * With `inPlace`, the function first checks that the input object holds only declared keys, in
   * schema order; then it coerces the values where they are and returns the input object itself
   * (omitted values become undefined, which JSON.stringify skips). That skips an allocation per
   * level on the common path; any other object is handed to the building function.
   */
  objectFn(fields: readonly FieldSchema[], path: SchemaPath, depth: number, top: boolean, inPlace: boolean): string {
    const list = fields.map((f) => f.name);
    const ordered = list.some(isIndexLikeName);
    // A field fed from other keys cannot be coerced where it lies.
    if (inPlace && (ordered || fields.some(hasSource))) inPlace = false;
    // A level's building function is the same wherever it is needed (the in-place variant falls
    // back to it; a definition may be used several times at one depth): it is generated once.
    const cacheKey = `${top}:${depth}`;
    const built = inPlace ? undefined : this.built.get(fields)?.get(cacheKey);
    if (built) return built;
    const build = inPlace ? this.objectFn(fields, path, depth, top, false) : "";
    const name = `${inPlace ? "p" : "o"}${this.count++}`;
    const names = this.constant(list);
    const store = inPlace
      ? (key: string) => (x: string) => `if (o[${key}] !== ${x}) o[${key}] = ${x};`
      : (key: string) => (x: string) => `r[${key}] = ${x};`;
    const lines = this.fieldLines(fields, path, depth, inPlace, (f) => store(JSON.stringify(f.name)));
    const body = `let v, x, k = 0;\n try {\n${lines.join("\n")}\n } catch (e) { throw at(e, ${names}[k]); }`;
    if (inPlace) {
      this.fns.push(
        `function ${name}(o, c) {\n let n = 0;\n for (const key in o) {\n while (n < ${list.length} && ${names}[n] !== key) n++;\n if (n === ${list.length}) return ${build}(o, c);\n n++;\n }\n ${body}\n return o;\n}`,
      );
      return name;
    }
    let ret = "r";
    if (ordered) {
      ret = top ? `orderedJson(r, ${names})` : `(c.hasRaw = true, rawMarker(orderedJson(r, ${names})))`;
    }
    // Every field gets a slot up front (JSON.stringify skips undefined): one hidden class per
    // level and no shape changes per event.
    const slots = list.map((n) => `${n === "__proto__" ? `["__proto__"]` : JSON.stringify(n)}: undefined`);
    this.fns.push(`function ${name}(o, c) {\n const r = { ${slots.join(", ")} }; ${body}\n return ${ret};\n}`);
    const byDepth = this.built.get(fields) ?? new Map<string, string>();
    this.built.set(fields, byDepth.set(cacheKey, name));
    return name;
  }

  /**
   * The statements that read, transform, coerce and check each field and hand its value to the
   * store `storeFor` gives for it (the field's index is kept in `k` for error paths).
   */
  fieldLines(fields: readonly FieldSchema[], path: SchemaPath, depth: number, inPlace: boolean, storeFor: (f: FieldSchema) => (x: string) => string): string[] {
    const lines: string[] = [];
    fields.forEach((f, i) => {
      const fpath = [...path, i];
      const key = JSON.stringify(f.name);
      const omit = inPlace ? `o[${key}] = undefined;` : "";
      const steps = this.transformations(f, fpath);
      const throwMissing = f.required && steps.how ? `throw missing(${this.constant(steps.how)});` : "throw missing();";
      const onNull = f.required ? throwMissing : omit;
      const store = storeFor(f);
      lines.push(`k = ${i}; v = ${steps.read ?? ownKey(f.name)};`);
      if (steps.code) lines.push(steps.code);
      // In place, a key that is there but transformed into nothing (split) must be cleared.
      // A json field keeps an explicit null (Panther writes `"responseElements": null`).
      if (this.resolvedType(f) === "json") lines.push(`if (v === null) { ${store("null")} } else`);
      lines.push(`if (v === undefined || v === null) { ${f.required ? throwMissing : inPlace ? (f.split ? omit : `if (v === null) ${omit}`) : ""} } else {`);
      lines.push(this.value(f, fpath, depth, store, onNull, omit, false, inPlace));
      lines.push("}");
    });
    return lines;
  }

  /**
   * The top level as a WriterFunction (see there), or undefined when a field is not a single
   * value. Same statements as the object function, so the same checks, errors and indicators in
   * the same order; each value is serialized as JSON.stringify would.
   */
  writerFn(fields: readonly FieldSchema[]): string | undefined {
    const resolved = fields.map((f) => (f.isEmbeddedJSON ? undefined : this.resolvedType(f)));
    if (resolved.some((t) => t === undefined || !SCALAR_TYPES.has(t))) return undefined;
    const name = `w${this.count++}`;
    const names = this.constant(fields.map((f) => f.name));
    // The text is built from few and long pieces (cheaper to concatenate, and to flatten when the
    // record is written): each field adds one literal, the previous value's closing quote and
    // comma, its key and its own opening quote, then its value. `s` says what the previous value
    // left open: 0 nothing (no field yet), 1 a string's closing quote and the comma, 2 the comma.
    // Integers are coerced straight to their JSON text (see intText).
    this.writingText = true;
    const lines = this.fieldLines(fields, ["fields"], 0, false, (f) => {
      const key = `${JSON.stringify(f.name)}:`;
      const lead = (text: string): string => `(s === 1 ? ${JSON.stringify(`",${text}`)} : s === 2 ? ${JSON.stringify(`,${text}`)} : ${JSON.stringify(`{${text}`)})`;
      const bare = lead(key);
      const quoted = lead(`${key}"`);
      switch (this.resolvedType(f)) {
        // Canonical RFC 3339 text (time/format.ts): nothing to escape.
        case "timestamp":
          return (x) => `w += ${quoted} + ${x}; s = 1;`;
        case "string":
          // A plain field read from its own key as it is: nothing to escape.
          if (this.plain.has(f.name) && !f.rename && !f.copy && !f.concat && !f.split && !f.mask) return (x) => `w += ${quoted} + ${x}; s = 1;`;
          return (x) => `if (needsEscape.test(${x})) { w += ${bare} + JSON.stringify(${x}); s = 2; } else { w += ${quoted} + ${x}; s = 1; }`;
        case "boolean":
          return (x) => `w += ${bare} + (${x} ? "true" : "false"); s = 2;`;
        default:
          // Integers come as their JSON text (intText, bigintText); floats are finite numbers (the
          // coercions refuse others; -0 is already 0), and JSON.stringify writes String(n).
          return (x) => `w += ${bare} + ${x}; s = 2;`;
      }
    });
    this.writingText = false;
    this.fns.push(
      `function ${name}(o, c) {\n let w = "", s = 0;\n let v, x, k = 0;\n try {\n${lines.join("\n")}\n } catch (e) { throw at(e, ${names}[k]); }\n c.open = s;\n return w;\n}`,
    );
    return name;
  }

  /**
   * A field's transformations as code: `read`, an expression for its value when it does not come
   * from its own key; `code`, statements rewriting `v` (split, then mask); `how`, a description for
   * "required field is missing" when the value comes from elsewhere.
   */
  transformations(f: FieldSchema, path: SchemaPath): { read?: string; code?: string; how?: string } {
    const out: { read?: string; code?: string; how?: string } = {};
    const how: string[] = [];
    const from = f.copy?.from ?? f.split?.from;
    if (f.rename) {
      out.read = ownKey(f.rename.from);
      how.push(`renamed from ${JSON.stringify(f.rename.from)}`);
    } else if (from !== undefined) {
      // rename.from is one key, dots included; copy and split read paths.
      const segments = from.split(".");
      out.read = segments.length === 1 ? ownKey(from) : `readPath(o, ${this.constant(segments)})`;
      how.push(`${f.copy ? "copied" : "split"} from ${JSON.stringify(from)}`);
    } else if (f.concat) {
      const { paths, separator } = f.concat;
      out.read = `concat(o, ${this.constant(paths.map((p) => p.split(".")))}, ${JSON.stringify(separator)}, c)`;
      how.push(`concatenated from ${paths.map((p) => JSON.stringify(p)).join(", ")}`);
    }
    const code: string[] = [];
    const type = f.split || f.mask ? this.resolvedType(f) : undefined;
    if (f.split) {
      const { separator, index } = f.split;
      if (index === undefined) {
        if (type !== undefined && type !== "array") this.error([...path, "split"], "invalid-transformation", `split without index gives a list, so the field must be an array (it is ${type}); or set split.index`);
        code.push(`if (v !== undefined && v !== null) v = splitAll(v, ${JSON.stringify(separator)}, c);`);
      } else {
        if (type === "array") this.error([...path, "split", "index"], "invalid-transformation", "split.index gives one part, but the field is an array; leave index out to keep all parts");
        code.push(`if (v !== undefined && v !== null) v = splitAt(v, ${JSON.stringify(separator)}, ${index}, c);`);
        how.push(`part ${index} of a split on ${JSON.stringify(separator)}`);
      }
    }
    if (f.mask) {
      if (type !== undefined && type !== "string") this.error([...path, "mask"], "invalid-transformation", `mask gives text, so the field must be a string (it is ${type})`);
      code.push(`if (v !== undefined && v !== null) v = ${this.constant(transform.masker(f.mask))}(v, c);`);
    }
    if (code.length > 0) out.code = code.join("\n");
    if (how.length > 0) out.how = how.join(", ");
    return out;
  }

  /** The type a value ends up with after following refs; undefined when a ref does not resolve (reported elsewhere). */
  resolvedType(vs: ValueSchema): string | undefined {
    const seen = new Set<string>();
    while (vs.type === "ref") {
      const target = vs.target ?? "";
      const def = this.schema.definitions?.[target];
      if (!def || seen.has(target)) return undefined;
      seen.add(target);
      vs = def;
    }
    return vs.type;
  }

  arrayFn(element: ValueSchema, path: SchemaPath, depth: number, inPlace: boolean): string {
    const name = `${inPlace ? "q" : "a"}${this.count++}`;
    if (inPlace) {
      const body = this.value(element, path, depth, (x) => `if (a[i] !== ${x}) a[i] = ${x};`, "a[i] = null;", "", true, true);
      this.fns.push(
        `function ${name}(a, c) {\n let v, x, i = 0;\n try {\n for (; i < a.length; i++) {\n v = a[i];\n if (v === undefined || v === null) { a[i] = null; continue; }\n${body}\n }\n } catch (e) { throw at(e, i); }\n return a;\n}`,
      );
      return name;
    }
    const body = this.value(element, path, depth, (x) => `r.push(${x});`, "r.push(null);", "", true, false);
    this.fns.push(
      `function ${name}(a, c) {\n const r = []; let v, x, i = 0;\n try {\n for (; i < a.length; i++) {\n v = a[i];\n if (v === undefined || v === null) { r.push(null); continue; }\n${body}\n }\n } catch (e) { throw at(e, i); }\n return r;\n}`,
    );
    return name;
  }

  /**
   * Statements that coerce `v` (known non-null) and store the result with `store(expr)`.
   * `onNull` runs when the value counts as absent (e.g. "" for a number); `omit` when an empty
   * array is to be left out of the record.
   */
  value(
    vs: ValueSchema,
    path: SchemaPath,
    depth: number,
    store: (expr: string) => string,
    onNull: string,
    omit: string,
    inArray: boolean,
    inPlace: boolean,
  ): string {
    if (depth > MAX_NESTING) {
      this.error(path, "max-nesting", `nesting deeper than ${MAX_NESTING} levels`);
      return "";
    }
    if (vs.type === "ref") {
      // Problems inside a definition are reported at the definition, not at each use.
      const target = vs.target ?? "";
      const def = this.definition(target, path);
      if (!def) return "";
      this.expanding.push(target);
      this.used.add(target);
      try {
        return this.value(def, ["definitions", target], depth, store, onNull, omit, inArray, inPlace);
      } finally {
        this.expanding.pop();
      }
    }
    const decode = vs.isEmbeddedJSON ? `v = embedded(v, c); if (v === null) { ${onNull} } else ` : "";
    switch (vs.type) {
      case "string": {
        const checks: string[] = [];
        if (vs.validate?.allow) checks.push(`checkAllowed(x, ${this.constant(new Set(vs.validate.allow))});`);
        if (vs.validate?.deny) checks.push(`checkDenied(x, ${this.constant(new Set(vs.validate.deny))});`);
        if (vs.validate?.ip) checks.push(`checkIp(x, ${JSON.stringify(vs.validate.ip)});`);
        if (vs.validate?.cidr) checks.push(`checkCidr(x, ${JSON.stringify(vs.validate.cidr)});`);
        (vs.indicators ?? []).forEach((ind, i) => {
          const scanner = INDICATORS.get(ind);
          if (!scanner) this.error([...path, "indicators", i], "unknown-indicator", `unknown indicator "${ind}"${didYouMean(ind, [...INDICATORS.keys()])}`);
          else if (!redundantIndicator(ind, vs.indicators ?? [])) checks.push(`${this.constant(scanner)}.scan(x, c);`);
        });
        return `x = typeof v === "string" ? v : toStr(v, c);\n${checks.join("\n")}\n${store("x")}`;
      }
      case "int":
      case "smallint": {
        const [min, max] = INT_RANGES[vs.type];
        const coerce = this.writingText ? "intText" : "toInt";
        return `x = ${coerce}(v, ${min}, ${max}, "${vs.type}"); if (x === null) { ${onNull} } else { ${store("x")} }`;
      }
      case "bigint":
        return `x = ${this.writingText ? "bigintText" : "toBigint"}(v, c); if (x === null) { ${onNull} } else { ${store("x")} }`;
      case "float":
        return `x = toFloat(v, c); if (x === null) { ${onNull} } else { ${store("x")} }`;
      case "boolean":
        return `x = toBool(v); if (x === null) { ${onNull} } else { ${store("x")} }`;
      case "timestamp": {
        const formats = this.timeFormats(vs.timeFormats ?? [], path);
        const setEventTime = vs.isEventTime ? "if (c.eventTime === null) c.eventTime = x; " : "";
        return `x = toTime(v, c, ${this.constant(formats)}); if (x === null) { ${onNull} } else { ${setEventTime}${store("x")} }`;
      }
      case "json":
        this.hasJson = true;
        // Numbers whose literal may not survive the fast path send the event to the lossless reader.
        if (vs.isEmbeddedJSON) return `v = embeddedJson(v, c); if (v === null) { ${onNull} } else { ${store("v")} }`;
        return `v = toJson(v, c); ${store("v")}`;
      case "object": {
        const fn = this.objectFn(vs.fields ?? [], [...path, "fields"], depth + 1, false, inPlace);
        return `${decode}{ if (!isObject(v)) throw fail("expected an object, got " + show(v)); x = ${fn}(v, c); ${store("x")} }`;
      }
      case "array": {
        const fn = this.arrayFn(this.elementWithIndicators(vs, path), [...path, "element"], depth + 1, inPlace);
        // An empty array is left out of a record, but keeps its place inside an array.
        const keepEmpty = inArray ? store("x") : omit;
        return `${decode}{ if (!Array.isArray(v)) throw fail("expected an array, got " + show(v)); x = ${fn}(v, c); if (x.length === 0) { ${keepEmpty} } else { ${store("x")} } }`;
      }
      default:
        // Every type of the vocabulary has its case: a new one fails to compile here.
        return unreachable(vs.type);
    }
  }

  /**
   * An array's element, with the indicators written on the array itself (allowed on arrays of
   * strings, as Panther's managed schemas do) added to the element's own.
   */
  elementWithIndicators(vs: ValueSchema, path: SchemaPath): ValueSchema {
    const element = vs.element as ValueSchema;
    if (!vs.indicators || vs.indicators.length === 0) return element;
    const known: string[] = [];
    vs.indicators.forEach((ind, i) => {
      if (INDICATORS.has(ind)) known.push(ind);
      else this.error([...path, "indicators", i], "unknown-indicator", `unknown indicator "${ind}"${didYouMean(ind, [...INDICATORS.keys()])}`);
    });
    return { ...element, indicators: [...new Set([...(element.indicators ?? []), ...known])] };
  }

  /** The definition a ref names, reporting unknown targets and cycles (a definition inside itself). */
  definition(target: string, path: SchemaPath): ValueSchema | undefined {
    const start = this.expanding.indexOf(target);
    if (start >= 0) {
      this.error([...path, "target"], "cyclic-ref", `cyclic reference: ${[...this.expanding.slice(start), target].join(" → ")}`);
      return undefined;
    }
    const defs = this.schema.definitions ?? {};
    const def = Object.hasOwn(defs, target) ? defs[target] : undefined;
    if (!def) {
      this.error([...path, "target"], "unresolved-ref", `ref target "${target}" is not in definitions${didYouMean(target, Object.keys(defs))}`);
      return undefined;
    }
    return def;
  }

  /** Follows refs for the shape (the schema compiled without issues, so they resolve). */
  resolve(vs: ValueSchema): ValueSchema | undefined {
    let r: ValueSchema | undefined = vs;
    for (let n = 0; r?.type === "ref" && n <= MAX_NESTING; n++) r = this.schema.definitions?.[r.target ?? ""];
    return r?.type === "ref" ? undefined : r;
  }

  timeFormats(specs: readonly string[], path: SchemaPath): TimeFormat[] {
    const out: TimeFormat[] = [];
    specs.forEach((spec, i) => {
      let f = this.timeCache.get(spec);
      if (!f) {
        f = compileTimeFormat(spec);
        this.timeCache.set(spec, f);
      }
      if (!(f instanceof TimeFormatError)) {
        out.push(f);
        return;
      }
      const hint = looksLikePattern(spec) ? "" : didYouMean(spec, TIME_FORMAT_NAMES);
      this.error([...path, "timeFormats", i], "invalid-time-format", `${f.message}${hint}`);
    });
    return out;
  }

  /** Input paths a level reads: each field's own key, or the keys its transformations read. */
  shape(fields: readonly FieldSchema[], depth = 0): Shape {
    const shape: Shape = { kind: "object", fields: new Map() };
    for (const f of fields) {
      const value = this.valueShape(f, depth);
      if (f.rename) addPath(shape, [f.rename.from], value);
      else if (f.copy) addPath(shape, f.copy.from.split("."), value);
      else if (f.split?.from !== undefined) addPath(shape, f.split.from.split("."), LEAF);
      else if (f.concat) for (const p of f.concat.paths) addPath(shape, p.split("."), LEAF);
      else addPath(shape, [f.name], value);
    }
    return shape;
  }

  valueShape(vs: ValueSchema, depth: number): Shape {
    const r = depth > MAX_NESTING ? undefined : this.resolve(vs);
    if (!r || r.isEmbeddedJSON) return { kind: "leaf" };
    if (r.type === "object") return this.shape(r.fields ?? [], depth + 1);
    if (r.type === "array") return { kind: "array", element: this.valueShape(r.element as ValueSchema, depth + 1) };
    return { kind: "leaf" };
  }
}

const LEAF: Shape = { kind: "leaf" };

/** Marks a path as read, merging with what other fields read (a leaf covers everything below it). */
function addPath(shape: Shape, path: readonly string[], value: Shape): void {
  let cur = shape;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string;
    if (cur.kind === "array") {
      if (!/^[0-9]+$/.test(seg)) return;
      if (i === path.length - 1) {
        cur.element = mergeShapes(cur.element, value);
        return;
      }
      cur = cur.element;
      continue;
    }
    if (cur.kind === "leaf") return;
    const child = cur.fields.get(seg);
    if (i === path.length - 1) {
      cur.fields.set(seg, child ? mergeShapes(child, value) : value);
      return;
    }
    if (child) {
      cur = child;
    } else {
      const next: Shape = { kind: "object", fields: new Map() };
      cur.fields.set(seg, next);
      cur = next;
    }
  }
}

function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === "leaf" || b.kind === "leaf") return LEAF;
  if (a.kind === "object" && b.kind === "object") {
    const fields = new Map(a.fields);
    for (const [k, s] of b.fields) fields.set(k, fields.has(k) ? mergeShapes(fields.get(k) as Shape, s) : s);
    return { kind: "object", fields };
  }
  if (a.kind === "array" && b.kind === "array") return { kind: "array", element: mergeShapes(a.element, b.element) };
  return a;
}

/** Reads key `name` of `o` (own keys only where the name exists on Object.prototype). */
function ownKey(name: string): string {
  const key = JSON.stringify(name);
  return name in Object.prototype ? `(hasOwn(o, ${key}) ? o[${key}] : undefined)` : `o[${key}]`;
}

/** The characters JSON.stringify escapes in a string (lone surrogates included). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** What generated code calls, each by its own name. */
const helpers = { ...coerce, ...transform, at, hasOwn: Object.hasOwn, rawMarker, orderedJson, needsEscape: NEEDS_ESCAPE };
const HELPER_NAMES = Object.keys(helpers).join(", ");

function unreachable(type: never): never {
  throw new Error(`no code for field type ${String(type)}`);
}

/**
 * Compiles a checked schema; on failure returns the problems (with schema paths). `plain`: the
 * text parser's fields whose values never need escaping in JSON (CompiledTextParser.plainFields):
 * the record writer, which only ever reads that parser's fields, writes them without a check.
 */
export function compileSchema(schema: LogSchema, plain?: ReadonlySet<string>): CompiledSchema | SchemaIssue[] {
  const g = new Generator(schema, plain);
  const top = g.objectFn(schema.fields, ["fields"], 0, true, false);
  const issues = distinct([...g.issues, ...unusedDefinitionIssues(schema, g.used)]);
  if (issues.length > 0) return issues;
  const topInPlace = g.objectFn(schema.fields, ["fields"], 0, true, true);
  // Only text parsers' records are written this way (see EventProcessor.processLine).
  const writer = schema.parser !== undefined && !("native" in schema.parser) ? g.writerFn(schema.fields) : undefined;
  const code = `"use strict";\nconst { ${HELPER_NAMES} } = h;\n${g.fns.join("\n")}\nreturn [${top}, ${topInPlace}, ${writer ?? "undefined"}];`;
  const factory = new Function("h", "K", code) as (h: unknown, k: unknown[]) => [BodyFunction, BodyFunction, WriterFunction | undefined];
  const [body, bodyInPlace, write] = factory(helpers, g.consts);
  // Resolve refs a second time only for the shape; issues were already reported above.
  const shape = new Generator(schema).shape(schema.fields);
  return { body, bodyInPlace, shape, hasJson: g.hasJson, writer: write };
}

/**
 * Definitions no field uses are compiled too, only for their problems, so a schema never hides a
 * broken definition until a field starts using it.
 */
function unusedDefinitionIssues(schema: LogSchema, used: ReadonlySet<string>): SchemaIssue[] {
  const g = new Generator(schema);
  for (const name of Object.keys(schema.definitions ?? {})) {
    if (!used.has(name)) g.value({ type: "ref", target: name }, ["definitions", name], 1, () => "", "", "", false, false);
  }
  return g.issues;
}

/** A definition used in several places reports its problems once. */
function distinct(issues: readonly SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.rule}\u0000${i.path.join("\u0000")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
