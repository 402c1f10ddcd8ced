/**
 * Structural check of a schema document: turns the plain YAML value into a typed LogSchema,
 * collecting every problem with its path instead of stopping at the first. Unknown keys are
 * errors (Panther silently drops them, which hides typos such as `indicator:`).
 */
import { checkTextParser } from "./check-parser.js";
import { describe, IssueCollector, isObj, type Obj } from "./check-core.js";

export { describe, isObj, type Obj };
import { DEFINITION_NAME, LOG_TYPE_NAME, LOG_TYPE_NAME_RULE } from "./names.js";
import { didYouMean } from "./suggest.js";
import { FIELD_TYPE_VOCABULARY, FIELD_TYPES, isFieldType } from "./vocabulary/field-types.js";
import {
  appliesTo,
  FIELD_KEYS,
  HASH_ALGORITHMS,
  IP_FAMILIES,
  KEYWORDS,
  MASK_TYPES,
  TIME_FORMAT_CONFLICT,
  TOP_KEYS,
  TRANSFORMATIONS,
  TYPE_BOUND_KEYS,
  VALIDATE_OPTIONS,
  VALUE_KEYS,
} from "./vocabulary/keywords.js";
import { isTextParserName, PARSER_NAMES } from "./vocabulary/parsers.js";
import {
  hasSource,
  type FieldSchema,
  type FieldType,
  type IpFamily,
  type LogSchema,
  type ParserSpec,
  type SchemaIssue,
  type SchemaPath,
  type HashAlgorithm,
  type MaskSpec,
  type SplitSpec,
  type Transformations,
  type ValidateSpec,
  type ValueSchema,
} from "./types.js";

/** Keys whose misuse has a rule of its own (applicable()); the others are `inapplicable-key`. */
const OWN_RULES: ReadonlySet<string> = new Set(["indicators", "isEventTime"]);
const VALIDATE_KEYS = Object.keys(VALIDATE_OPTIONS);

/** Names Panther adds to every record; a schema may not declare them at the top level. */
export function isReservedName(name: string): boolean {
  return (
    name === "p_log_type" ||
    name === "p_row_id" ||
    name === "p_event_time" ||
    name === "p_parse_time" ||
    name === "p_source_id" ||
    name === "p_source_label" ||
    name.startsWith("p_any_")
  );
}

export class Checker extends IssueCollector {
  fieldList(v: unknown, path: SchemaPath, topLevel: boolean): FieldSchema[] {
    if (!Array.isArray(v)) {
      const missing = topLevel ? KEYWORDS.fields.missing.message : FIELD_TYPE_VOCABULARY.object.needs.message;
      this.error(path, v === undefined ? "missing-fields" : "type-mismatch", v === undefined ? missing : `fields must be a list, got ${describe(v)}`);
      return [];
    }
    if (v.length === 0) {
      this.error(path, "missing-fields", "fields must list at least one field");
      return [];
    }
    const out: FieldSchema[] = [];
    /** Where each field of `out` is in the document. */
    const at: number[] = [];
    const seen = new Map<string, string>();
    v.forEach((item, i) => {
      const fpath = [...path, i];
      const f = this.field(item, fpath);
      if (!f) {
        this.dropped.push(fpath);
        return;
      }
      if (topLevel && isReservedName(f.name)) {
        this.error([...fpath, "name"], "reserved-name", `"${f.name}" is a reserved Panther field name`);
      }
      const lower = f.name.toLowerCase();
      const prev = seen.get(lower);
      if (prev === f.name) {
        this.error([...fpath, "name"], "duplicate-field", `duplicate field name "${f.name}"`);
      } else if (prev !== undefined) {
        this.error([...fpath, "name"], "case-collision", `field "${f.name}" differs from "${prev}" only in case`);
      } else {
        seen.set(lower, f.name);
      }
      out.push(f);
      at.push(i);
    });
    // A renamed key is gone from the input, so a sibling reading that key by its own name
    // would always be empty (renames that swap two keys are fine).
    const ownKeys = new Set(out.filter((f) => !hasSource(f)).map((f) => f.name));
    out.forEach((f, i) => {
      if (f.rename && ownKeys.has(f.rename.from)) {
        this.error([...path, at[i] as number, "rename", "from"], "invalid-transformation", `rename takes key "${f.rename.from}" away from the field of that name; use copy to keep both`);
      }
    });
    return out;
  }

  /** Keys of an array element or a definition: transformations belong to fields only. */
  valueKeys(o: Obj, path: SchemaPath, where: string): void {
    this.unknownKeys(o, [...VALUE_KEYS, ...TRANSFORMATIONS], path);
    for (const key of TRANSFORMATIONS) {
      if (o[key] !== undefined) this.error([...path, key], "invalid-transformation", `${key}: transformations apply to fields, not to ${where}`, true);
    }
  }

  /** The transformation keys of a field entry (see types.ts for their meaning). */
  transformations(v: Obj, path: SchemaPath, name: string): Transformations {
    const out: Transformations = {};
    const rename = this.spec(v, "rename", path, ["from"]);
    if (rename) {
      const from = rename.from;
      const p = [...path, "rename", "from"];
      if (from === undefined) this.error(p, "invalid-transformation", "rename needs from (the input key to take the value from)");
      else if (typeof from !== "string" || from === "") this.error(p, "invalid-transformation", `rename.from must name an input key, got ${describe(from)}`);
      else if (from === name) this.error(p, "invalid-transformation", `rename.from is the field's own name "${name}"`);
      else out.rename = { from };
    }
    const copy = this.spec(v, "copy", path, ["from"]);
    if (copy) {
      const from = this.sourcePath(copy.from, [...path, "copy", "from"], "copy.from");
      if (from !== undefined) out.copy = { from };
    }
    const concat = this.spec(v, "concat", path, ["paths", "separator"]);
    if (concat) {
      const p = [...path, "concat"];
      const paths = this.stringList(concat.paths, [...p, "paths"], "concat.paths");
      let ok = paths !== undefined;
      paths?.forEach((item, i) => {
        if (this.sourcePath(item, [...p, "paths", i], "concat.paths items") === undefined) ok = false;
      });
      const separator = this.optionalString(concat, "separator", p, "concat.separator", "");
      if (ok && paths && separator !== undefined) out.concat = { paths, separator };
    }
    const split = this.spec(v, "split", path, ["separator", "index", "from"]);
    if (split) {
      const spec = this.splitSpec(split, [...path, "split"]);
      if (spec) out.split = spec;
    }
    const mask = this.spec(v, "mask", path, ["type", "to", "algorithm", "salt"]);
    if (mask) {
      const spec = this.maskSpec(mask, [...path, "mask"]);
      if (spec) out.mask = spec;
    }
    // Each of these gives the field its value; two would leave one of them silently unused.
    const sources: SchemaPath[] = ["rename", "copy", "concat"].filter((k) => v[k] !== undefined).map((k) => [k]);
    if (split?.from !== undefined) sources.push(["split", "from"]);
    if (sources.length > 1) {
      const names = sources.map((s) => s.join("."));
      this.error([...path, ...(sources[1] as SchemaPath)], "invalid-transformation", `${names.join(" and ")} each give the field a value; use only one`, true);
    }
    return out;
  }

  splitSpec(split: Obj, p: SchemaPath): SplitSpec | undefined {
    const { separator, index } = split;
    let ok = true;
    if (typeof separator !== "string" || separator === "") {
      this.error([...p, "separator"], "invalid-transformation", separator === undefined ? "split needs a separator" : `split.separator must be a non-empty string, got ${describe(separator)}`);
      ok = false;
    }
    if (index !== undefined && !Number.isSafeInteger(index)) {
      this.error([...p, "index"], "invalid-transformation", `split.index must be an integer (negative counts from the end), got ${describe(index)}`);
      ok = false;
    }
    const from = split.from === undefined ? undefined : this.sourcePath(split.from, [...p, "from"], "split.from");
    if (!ok || (split.from !== undefined && from === undefined)) return undefined;
    const out: SplitSpec = { separator: separator as string };
    if (index !== undefined) out.index = index as number;
    if (from !== undefined) out.from = from;
    return out;
  }

  maskSpec(mask: Obj, p: SchemaPath): MaskSpec | undefined {
    const [redact, hash] = MASK_TYPES;
    if (mask.type === redact) {
      for (const key of ["algorithm", "salt"]) {
        if (mask[key] !== undefined) this.error([...p, key], "invalid-transformation", `mask.${key} belongs to type hash, not redact`);
      }
      const to = this.optionalString(mask, "to", p, "mask.to", "***");
      return to === undefined ? undefined : { type: "redact", to };
    }
    if (mask.type === hash) {
      if (mask.to !== undefined) this.error([...p, "to"], "invalid-transformation", "mask.to belongs to type redact, not hash");
      const algorithm = mask.algorithm ?? "sha256";
      const salt = this.optionalString(mask, "salt", p, "mask.salt", "");
      if (typeof algorithm !== "string" || !(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) {
        this.error([...p, "algorithm"], "invalid-transformation", `mask.algorithm must be one of ${HASH_ALGORITHMS.join(", ")}, got ${describe(algorithm)}`);
        return undefined;
      }
      return salt === undefined ? undefined : { type: "hash", algorithm: algorithm as HashAlgorithm, salt };
    }
    if (mask.type === undefined) {
      this.error(p, "invalid-transformation", `mask needs a type: ${MASK_TYPES.join(" or ")}`);
    } else {
      const hint = typeof mask.type === "string" ? didYouMean(mask.type, MASK_TYPES) : "";
      this.error([...p, "type"], "invalid-transformation", `mask.type must be ${MASK_TYPES.join(" or ")}, got ${describe(mask.type)}${hint}`);
    }
    return undefined;
  }

  /** A transformation's mapping with its allowed keys, or undefined (absent, or reported). */
  spec(v: Obj, key: string, path: SchemaPath, keys: readonly string[]): Obj | undefined {
    const spec = v[key];
    if (spec === undefined) return undefined;
    if (!isObj(spec)) {
      this.error([...path, key], "invalid-transformation", `${key} must be a mapping (${keys.join(", ")}), got ${describe(spec)}`);
      return undefined;
    }
    this.unknownKeys(spec, keys, [...path, key]);
    return spec;
  }

  /** A dotted input path: non-empty segments. */
  sourcePath(v: unknown, path: SchemaPath, what: string): string | undefined {
    if (v === undefined) {
      this.error(path, "invalid-transformation", `${what} is missing (a path such as "actor.email")`);
      return undefined;
    }
    if (typeof v !== "string" || v === "") {
      this.error(path, "invalid-transformation", `${what} must be a path such as "actor.email", got ${describe(v)}`);
      return undefined;
    }
    if (v.split(".").includes("")) {
      this.error(path, "invalid-transformation", `${what} "${v}" has an empty segment (paths are keys joined by single dots)`);
      return undefined;
    }
    return v;
  }

  optionalString(o: Obj, key: string, path: SchemaPath, what: string, fallback: string): string | undefined {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== "string") {
      this.error([...path, key], "invalid-transformation", `${what} must be a string, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  field(v: unknown, path: SchemaPath): FieldSchema | undefined {
    if (!isObj(v)) {
      this.error(path, "type-mismatch", `a field must be a mapping with name and type, got ${describe(v)}`);
      return undefined;
    }
    this.unknownKeys(v, FIELD_KEYS, path);
    const name = v.name;
    let okName = true;
    if (name === undefined || name === "") {
      this.error([...path, "name"], KEYWORDS.name.missing.rule, KEYWORDS.name.missing.message);
      okName = false;
    } else if (typeof name !== "string") {
      this.error([...path, "name"], "type-mismatch", `name must be a string, got ${describe(name)}`);
      okName = false;
    }
    const value = this.value(v, path);
    const required = this.bool(v, "required", path);
    const transformations = this.transformations(v, path, okName ? (name as string) : "");
    if (!okName || !value) return undefined;
    const f: FieldSchema = { name: name as string, ...value, ...transformations };
    if (required) f.required = true;
    if (typeof v.description === "string") f.description = v.description;
    return f;
  }

  value(v: Obj, path: SchemaPath): ValueSchema | undefined {
    const type = v.type;
    if (type === undefined) {
      this.error([...path, "type"], KEYWORDS.type.missing.rule, KEYWORDS.type.missing.message);
      return undefined;
    }
    if (!isFieldType(type)) {
      const hint = typeof type === "string" ? didYouMean(type, FIELD_TYPES) : "";
      this.error([...path, "type"], "unknown-type", `unknown type ${JSON.stringify(type)}${hint}; expected one of ${FIELD_TYPES.join(", ")}`);
      return undefined;
    }
    const out: ValueSchema = { type };
    this.applicable(v, out.type, path);
    switch (out.type) {
      case "object":
        out.fields = this.fieldList(v.fields, [...path, "fields"], false);
        if (out.fields.length === 0) return undefined;
        break;
      case "array": {
        const el = v.element;
        if (!isObj(el)) {
          const { rule, message } = FIELD_TYPE_VOCABULARY.array.needs;
          this.error([...path, "element"], el === undefined ? rule : "type-mismatch", el === undefined ? message : `element must be a mapping, got ${describe(el)}`);
          return undefined;
        }
        this.valueKeys(el, [...path, "element"], "array elements");
        const element = this.value(el, [...path, "element"]);
        if (!element) return undefined;
        out.element = element;
        break;
      }
      case "ref":
        if (v.target === undefined || v.target === "") {
          this.error([...path, "target"], FIELD_TYPE_VOCABULARY.ref.needs.rule, FIELD_TYPE_VOCABULARY.ref.needs.message);
          return undefined;
        }
        if (typeof v.target !== "string") {
          this.error([...path, "target"], "type-mismatch", `target must be the name of a definition, got ${describe(v.target)}`);
          return undefined;
        }
        out.target = v.target;
        break;
      case "timestamp": {
        const formats = this.timeFormats(v, path);
        if (!formats) return undefined;
        out.timeFormats = formats;
        break;
      }
      default:
        break;
    }
    if (v.indicators !== undefined) {
      const list = this.stringList(v.indicators, [...path, "indicators"], "indicators");
      if (list) out.indicators = list;
    }
    if (v.validate !== undefined) {
      const spec = this.validate(v.validate, [...path, "validate"]);
      if (spec) out.validate = spec;
    }
    const isEventTime = this.bool(v, "isEventTime", path);
    if (isEventTime) out.isEventTime = true;
    const embedded = this.bool(v, "isEmbeddedJSON", path);
    if (embedded) out.isEmbeddedJSON = true;
    return out;
  }

  /**
   * Keys that do nothing on this type are errors: Panther ignores them silently, so an
   * `indicators` list on an int (or on an array instead of its element) never extracts anything.
   */
  applicable(v: Obj, type: FieldType, path: SchemaPath): void {
    const where = type === "ref" ? ` (a ref takes everything from its definition${typeof v.target === "string" ? ` "${v.target}"` : ""})` : "";
    if (v.indicators !== undefined && type === "array" && isObj(v.element) && v.element.type === "string") {
      // Panther's managed schemas do this (Microsoft365.DLP.All To/CC/BCC) and its engine scans
      // every element, so it works; the element form says what happens.
      this.warn(
        [...path, "indicators"],
        "indicators-on-array",
        "indicators on an array apply to each of its strings; say so on the element instead: element: {type: string, indicators: [...]}",
      );
    } else if (v.indicators !== undefined && !appliesTo("indicators", type)) {
      const hint = type === "array" ? " (put them on the array's element)" : where;
      this.error([...path, "indicators"], "indicators-not-string", `indicators only apply to string values, not to ${article(type)}${hint}`, true);
    }
    if (v.isEventTime === true && !appliesTo("isEventTime", type)) {
      this.error([...path, "isEventTime"], "event-time-not-timestamp", `isEventTime only applies to timestamps, not to ${article(type)}${where}`, true);
    }
    for (const [key, types] of TYPE_BOUND_KEYS) {
      if (OWN_RULES.has(key) || v[key] === undefined || types.includes(type)) continue;
      this.error([...path, key], "inapplicable-key", `${key} has no effect on ${article(type)}; it applies to ${words(types)} values${where}`, true);
    }
  }

  timeFormats(v: Obj, path: SchemaPath): string[] | undefined {
    const one = v.timeFormat;
    const many = v.timeFormats;
    if (one !== undefined && many !== undefined) {
      this.error([...path, "timeFormats"], TIME_FORMAT_CONFLICT.rule, TIME_FORMAT_CONFLICT.message, true);
      return undefined;
    }
    if (one === undefined && many === undefined) {
      const { key, rule, message } = FIELD_TYPE_VOCABULARY.timestamp.needs;
      this.error([...path, key], rule, message);
      return undefined;
    }
    if (one !== undefined) {
      if (typeof one !== "string" || one === "") {
        this.error([...path, "timeFormat"], "type-mismatch", `timeFormat must be a string, got ${describe(one)}`);
        return undefined;
      }
      return [one];
    }
    return this.stringList(many, [...path, "timeFormats"], "timeFormats");
  }

  validate(v: unknown, path: SchemaPath): ValidateSpec | undefined {
    if (!isObj(v)) {
      this.error(path, "type-mismatch", `validate must be a mapping, got ${describe(v)}`);
      return undefined;
    }
    this.unknownKeys(v, VALIDATE_KEYS, path);
    const out: ValidateSpec = {};
    if (v.allow !== undefined) {
      const l = this.stringList(v.allow, [...path, "allow"], "validate.allow");
      if (l) out.allow = l;
    }
    if (v.deny !== undefined) {
      const l = this.stringList(v.deny, [...path, "deny"], "validate.deny");
      if (l) out.deny = l;
    }
    for (const key of ["ip", "cidr"] as const) {
      const f = v[key];
      if (f === undefined) continue;
      if (typeof f !== "string" || !(IP_FAMILIES as readonly string[]).includes(f)) {
        this.error([...path, key], "invalid-value", `validate.${key} must be one of ${IP_FAMILIES.join(", ")}`);
      } else {
        out[key] = f as IpFamily;
      }
    }
    return out;
  }

  parser(v: unknown, path: SchemaPath): ParserSpec | undefined {
    if (!isObj(v)) {
      this.error(path, "type-mismatch", `parser must be a mapping, got ${describe(v)}`);
      return undefined;
    }
    const keys = Object.keys(v);
    if (keys.length !== 1) {
      this.error(path, "parser-count", `parser must name exactly one of ${PARSER_NAMES.join(", ")}`);
      return undefined;
    }
    const kind = keys[0] as string;
    if (isTextParserName(kind)) return checkTextParser(this, kind, v[kind], [...path, kind]);
    if (kind !== "native") {
      this.unknownKeys(v, PARSER_NAMES, path);
      return undefined;
    }
    {
      const spec = v.native;
      if (!isObj(spec)) {
        this.error([...path, "native"], "type-mismatch", `parser.native must be a mapping with a name, got ${describe(spec)}`);
        return undefined;
      }
      if (typeof spec.name !== "string" || spec.name === "") {
        const missing = spec.name === undefined || spec.name === "";
        this.error([...path, "native", "name"], missing ? "missing-key" : "type-mismatch", missing ? "parser.native needs a name (the Panther parser it stands for)" : `parser.native.name must be a string, got ${describe(spec.name)}`);
        return undefined;
      }
      return { native: { name: spec.name } };
    }
  }
}

/** What could be read of a schema with errors, for further checks only. */
export interface PartialSchema {
  /** The schema without the fields, definitions and list items that have errors. */
  schema: LogSchema;
  /** Where a path into `schema` points in the document (items after a left-out one moved up). */
  documentPath: (path: SchemaPath) => SchemaPath;
}

/**
 * Checks the structure of a schema document; `schema` is set only when there are no errors.
 * Otherwise `partial` holds the parts that could be read.
 */
export function checkSchema(value: unknown, defaultName: string): { schema?: LogSchema; partial?: PartialSchema; issues: SchemaIssue[] } {
  const c = new Checker();
  if (!isObj(value)) {
    c.error([], "type-mismatch", `a schema must be a YAML mapping, got ${describe(value)}`);
    return { issues: c.issues };
  }
  c.unknownKeys(value, TOP_KEYS, []);
  let name = defaultName;
  if (value.schema !== undefined) {
    if (typeof value.schema !== "string" || value.schema === "") c.error(["schema"], "type-mismatch", "schema must be a non-empty string");
    else if (!LOG_TYPE_NAME.test(value.schema)) c.error(["schema"], "invalid-name", `schema ${JSON.stringify(value.schema)}: ${LOG_TYPE_NAME_RULE}`);
    else name = value.schema;
  }
  if (value.version !== undefined && value.version !== 0) {
    c.error(["version"], "invalid-value", `version must be 0, got ${describe(value.version)}`);
  }
  for (const key of ["description", "referenceURL"]) {
    if (value[key] !== undefined && typeof value[key] !== "string") c.error([key], "type-mismatch", `${key} must be a string`);
  }
  const schema: LogSchema = { schema: name, fields: c.fieldList(value.fields, ["fields"], true) };
  if (typeof value.description === "string") schema.description = value.description;
  if (typeof value.referenceURL === "string") schema.referenceURL = value.referenceURL;
  if (value.parser !== undefined) {
    const p = c.parser(value.parser, ["parser"]);
    if (p) schema.parser = p;
  }
  if (value.definitions !== undefined) {
    if (!isObj(value.definitions)) {
      c.error(["definitions"], "type-mismatch", "definitions must be a mapping of names to value schemas");
    } else {
      const defs: Record<string, ValueSchema> = Object.create(null) as Record<string, ValueSchema>;
      for (const [key, def] of Object.entries(value.definitions)) {
        const p = ["definitions", key];
        if (!DEFINITION_NAME.test(key)) c.error(p, "invalid-name", `definition name "${key}" must start with an upper-case letter and use only letters and digits`, true);
        if (!isObj(def)) {
          c.error(p, "type-mismatch", `definition must be a mapping, got ${describe(def)}`);
          continue;
        }
        c.valueKeys(def, p, "definitions");
        const vs = c.value(def, p);
        if (vs) defs[key] = vs;
      }
      schema.definitions = defs;
    }
  }
  const hasError = c.issues.some((i) => i.severity === "error");
  return hasError ? { partial: { schema, documentPath: pathMapper(c.dropped) }, issues: c.issues } : { schema, issues: c.issues };
}

/** Maps paths into a list with items left out back to the document: index j is the j-th item kept. */
function pathMapper(dropped: readonly SchemaPath[]): (path: SchemaPath) => SchemaPath {
  const gaps = new Map<string, number[]>();
  for (const d of dropped) {
    const list = d.slice(0, -1).join("\u0000");
    gaps.set(list, [...(gaps.get(list) ?? []), d[d.length - 1] as number]);
  }
  return (path) => {
    const out: Array<string | number> = [];
    for (const segment of path) {
      if (typeof segment !== "number") {
        out.push(segment);
        continue;
      }
      let i = segment;
      // Gaps are in document order: each one at or before the item pushes it one further.
      for (const g of gaps.get(out.join("\u0000")) ?? []) if (g <= i) i++;
      out.push(i);
    }
    return out;
  };
}

/** "object, array and json" */
function words(list: readonly string[]): string {
  return list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}` : (list[0] ?? "");
}

/** "an int", "a string" */
function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

