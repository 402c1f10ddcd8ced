/**
 * Compiles a checked log schema into a specialised normalizer: one generated JavaScript function
 * per object level and per array, with field names, coercions, checks and indicator scanners
 * baked in. The hot loop then runs straight-line code instead of interpreting the schema.
 *
 * A normalizer reads a parsed JSON object and returns the record's schema fields as JSON text, in
 * schema order, with nulls and empty arrays left out. Indicators and the event time land in the
 * EventState passed along. Failures are thrown as FieldError (with the field path) or
 * NEED_LOSSLESS, and turned into values by the engine boundary (normalize.ts).
 */
import * as coerce from "./coerce.js";
import { at } from "./errors.js";
import { INDICATORS } from "./indicators/index.js";
import type { EventState } from "./state.js";
import { compileTimeFormat } from "./time/index.js";
import { TimeFormatError, type TimeFormat } from "./time/format.js";
import type { FieldSchema, LogSchema, SchemaIssue, SchemaPath, ValueSchema } from "../schema/types.js";

export type BodyFunction = (o: Record<string, unknown>, c: EventState) => string;

/** Which input paths a schema knows, for reporting unknown (dropped) fields. */
export type Shape =
  | { kind: "object"; fields: Map<string, Shape> }
  | { kind: "array"; element: Shape }
  | { kind: "leaf" };

export interface CompiledSchema {
  body: BodyFunction;
  shape: Shape;
}

const MAX_NESTING = 64;

const INT_RANGES: Record<string, [number, number]> = {
  int: [-2147483648, 2147483647],
  smallint: [-32768, 32767],
};

class Generator {
  readonly fns: string[] = [];
  readonly consts: unknown[] = [];
  readonly issues: SchemaIssue[] = [];
  private count = 0;
  private readonly timeCache = new Map<string, TimeFormat | TimeFormatError>();

  constructor(private readonly schema: LogSchema) {}

  constant(value: unknown): string {
    this.consts.push(value);
    return `K[${this.consts.length - 1}]`;
  }

  error(path: SchemaPath, rule: string, message: string): void {
    this.issues.push({ path, rule, message, severity: "error" });
  }

  /** Emits a function for one object level; returns its name. `top` returns the bare body. */
  objectFn(fields: readonly FieldSchema[], path: SchemaPath, depth: number, top: boolean): string {
    const name = `o${this.count++}`;
    const names = this.constant(fields.map((f) => f.name));
    const lines: string[] = [];
    fields.forEach((f, i) => {
      const fpath = [...path, i];
      const key = JSON.stringify(f.name);
      const get = f.name in Object.prototype ? `(hasOwn(o, ${key}) ? o[${key}] : undefined)` : `o[${key}]`;
      const prefix = JSON.stringify(`,${JSON.stringify(f.name)}:`);
      const onNull = f.required ? "throw missing();" : "";
      lines.push(`k = ${i}; v = ${get};`);
      lines.push(`if (v === undefined || v === null) { ${onNull} } else {`);
      lines.push(this.value(f, fpath, depth, prefix, onNull, false));
      lines.push("}");
    });
    const ret = top ? "out" : `out === "" ? "{}" : "{" + out.slice(1) + "}"`;
    this.fns.push(
      `function ${name}(o, c) {\n let out = "", v, r, k = 0;\n try {\n${lines.join("\n")}\n } catch (e) { throw at(e, ${names}[k]); }\n return ${ret};\n}`,
    );
    return name;
  }

  arrayFn(element: ValueSchema, path: SchemaPath, depth: number): string {
    const name = `a${this.count++}`;
    const body = this.value(element, path, depth, '","', 'out += ",null";', true);
    this.fns.push(
      `function ${name}(a, c) {\n let out = "", v, r, i = 0;\n try {\n for (; i < a.length; i++) {\n v = a[i];\n if (v === undefined || v === null) { out += ",null"; continue; }\n${body}\n }\n } catch (e) { throw at(e, i); }\n return out === "" ? "" : "[" + out.slice(1) + "]";\n}`,
    );
    return name;
  }

  /** Statements that coerce `v` (known non-null) and append `prefix + value` to `out`. */
  value(vs: ValueSchema, path: SchemaPath, depth: number, prefix: string, onNull: string, inArray: boolean): string {
    if (depth > MAX_NESTING) {
      this.error(path, "max-nesting", `nesting deeper than ${MAX_NESTING} levels`);
      return "";
    }
    const resolved = this.resolve(vs, path, []);
    if (!resolved) return "";
    vs = resolved;
    const decode = vs.isEmbeddedJSON ? `v = embedded(v, c); if (v === null) { ${onNull} } else ` : "";
    switch (vs.type) {
      case "string": {
        const checks: string[] = [];
        if (vs.validate?.allow) checks.push(`checkAllowed(r, ${this.constant(new Set(vs.validate.allow))});`);
        if (vs.validate?.deny) checks.push(`checkDenied(r, ${this.constant(new Set(vs.validate.deny))});`);
        if (vs.validate?.ip) checks.push(`checkIp(r, ${JSON.stringify(vs.validate.ip)});`);
        if (vs.validate?.cidr) checks.push(`checkCidr(r, ${JSON.stringify(vs.validate.cidr)});`);
        (vs.indicators ?? []).forEach((ind, i) => {
          const scanner = INDICATORS.get(ind);
          if (!scanner) this.error([...path, "indicators", i], "unknown-indicator", `unknown indicator "${ind}"`);
          else checks.push(`${this.constant(scanner)}.scan(r, c);`);
        });
        return `r = toStr(v, c);\n${checks.join("\n")}\nout += ${prefix} + quote(r);`;
      }
      case "int":
      case "smallint": {
        const [min, max] = INT_RANGES[vs.type] as [number, number];
        return `r = toInt(v, ${min}, ${max}, "${vs.type}"); if (r === null) { ${onNull} } else out += ${prefix} + r;`;
      }
      case "bigint":
        return `r = toBigint(v, c); if (r === null) { ${onNull} } else out += ${prefix} + r;`;
      case "float":
        return `r = toFloat(v); if (r === null) { ${onNull} } else out += ${prefix} + r;`;
      case "boolean":
        return `r = toBool(v); if (r === null) { ${onNull} } else out += ${prefix} + (r ? "true" : "false");`;
      case "timestamp": {
        const formats = this.timeFormats(vs.timeFormats ?? [], path);
        const setEventTime = vs.isEventTime ? "if (c.eventTime === null) c.eventTime = r; " : "";
        return `r = toTime(v, c, ${this.constant(formats)}); if (r === null) { ${onNull} } else { ${setEventTime}out += ${prefix} + '"' + r + '"'; }`;
      }
      case "json":
        return `${decode}{ out += ${prefix} + toJsonText(v, c); }`;
      case "object": {
        const fn = this.objectFn(vs.fields ?? [], [...path, "fields"], depth + 1, false);
        return `${decode}{ if (!isObject(v)) throw fail("expected an object, got " + show(v)); out += ${prefix} + ${fn}(v, c); }`;
      }
      case "array": {
        const fn = this.arrayFn(vs.element as ValueSchema, [...path, "element"], depth + 1);
        const empty = inArray ? `out += ${prefix} + "[]";` : "";
        return `${decode}{ if (!Array.isArray(v)) throw fail("expected an array, got " + show(v)); r = ${fn}(v, c); if (r === "") { ${empty} } else out += ${prefix} + r; }`;
      }
      default:
        return "";
    }
  }

  /** Follows `type: ref` to its definition, reporting unknown and cyclic targets. */
  resolve(vs: ValueSchema, path: SchemaPath, seen: string[]): ValueSchema | undefined {
    if (vs.type !== "ref") return vs;
    const target = vs.target ?? "";
    if (seen.includes(target)) {
      this.error([...path, "target"], "cyclic-ref", `cyclic reference: ${[...seen, target].join(" → ")}`);
      return undefined;
    }
    const def = this.schema.definitions?.[target];
    if (!def) {
      this.error([...path, "target"], "unresolved-ref", `ref target "${target}" is not in definitions`);
      return undefined;
    }
    return this.resolve(def, ["definitions", target], [...seen, target]);
  }

  timeFormats(specs: readonly string[], path: SchemaPath): TimeFormat[] {
    const out: TimeFormat[] = [];
    specs.forEach((spec, i) => {
      let f = this.timeCache.get(spec);
      if (!f) {
        f = compileTimeFormat(spec);
        this.timeCache.set(spec, f);
      }
      if (f instanceof TimeFormatError) this.error([...path, "timeFormats", i], "invalid-time-format", f.message);
      else out.push(f);
    });
    return out;
  }

  shape(fields: readonly FieldSchema[], depth = 0): Shape {
    const map = new Map<string, Shape>();
    for (const f of fields) map.set(f.name, this.valueShape(f, depth));
    return { kind: "object", fields: map };
  }

  valueShape(vs: ValueSchema, depth: number): Shape {
    const r = depth > MAX_NESTING ? undefined : this.resolve(vs, [], []);
    if (!r || r.isEmbeddedJSON) return { kind: "leaf" };
    if (r.type === "object") return this.shape(r.fields ?? [], depth + 1);
    if (r.type === "array") return { kind: "array", element: this.valueShape(r.element as ValueSchema, depth + 1) };
    return { kind: "leaf" };
  }
}

/** Compiles a checked schema; on failure returns the problems (with schema paths). */
export function compileSchema(schema: LogSchema): CompiledSchema | SchemaIssue[] {
  const g = new Generator(schema);
  const top = g.objectFn(schema.fields, ["fields"], 0, true);
  if (g.issues.length > 0) return g.issues;
  const helpers = { ...coerce, at, hasOwn: Object.hasOwn, show: coerce.show };
  const code = `"use strict";\nconst { quote, toStr, toInt, toBigint, toFloat, toBool, toTime, toJsonText, embedded, isObject, missing, fail, show, at, hasOwn, checkAllowed, checkDenied, checkIp, checkCidr } = h;\n${g.fns.join("\n")}\nreturn ${top};`;
  const factory = new Function("h", "K", code) as (h: unknown, k: unknown[]) => BodyFunction;
  const body = factory(helpers, g.consts);
  // Resolve refs a second time only for the shape; issues were already reported above.
  const shape = new Generator(schema).shape(schema.fields);
  return { body, shape };
}
