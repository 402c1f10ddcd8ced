/**
 * Breaking changes between two versions of a log schema, as the data lake sees them: a table
 * column per field, typed. A field renamed or deleted, a changed type (element and nested object
 * types included), a field turned required and a changed `isEventTime` break queries or old rows,
 * so they are errors; added fields and changed descriptions, indicators or time formats are
 * notes. Every finding points into the new file (file:line:col); a deletion points at the list
 * the field left, and names where it was in the old file.
 *
 * Pure: both versions come in checked (a LogSchema) with the new one's source for positions.
 */
import { formatPath } from "../../engine/errors.js";
import { locate, type SchemaSource } from "../../language/yaml-source.js";
import type { FieldSchema, LogSchema, SchemaPath, ValueSchema } from "../../language/types.js";
import { suggest } from "../../language/suggest.js";
import type { Finding } from "../validate.js";

/** One version of a schema: the checked schema and the document it was read from. */
export interface SchemaVersion {
  schema: LogSchema;
  source: SchemaSource;
  /** How to name the file in messages (a git revision reads `HEAD~1:schemas/app.yml`). */
  label: string;
}

export const RULES = {
  deleted: "breaking-change/field-deleted",
  renamed: "breaking-change/field-renamed",
  type: "breaking-change/type-changed",
  required: "breaking-change/now-required",
  eventTime: "breaking-change/event-time-changed",
  logTypeRenamed: "breaking-change/log-type-renamed",
  logTypeDeleted: "breaking-change/log-type-deleted",
  added: "schema-change/field-added",
  logTypeAdded: "schema-change/log-type-added",
  description: "schema-change/description",
  indicators: "schema-change/indicators",
  timeFormats: "schema-change/time-formats",
} as const;

/** Deeper than any schema the compiler accepts; a guard against ref cycles. */
const MAX_DEPTH = 64;

/** Every change from `old` to `next`, errors for breaking ones and notes for the rest, in file order. */
export function diffSchemas(old: SchemaVersion, next: SchemaVersion): Finding[] {
  const d = new Differ(old, next);
  if (old.schema.schema !== next.schema.schema) {
    d.error(["schema"], RULES.logTypeRenamed, `log type renamed from "${old.schema.schema}" to "${next.schema.schema}" (a new table; queries and detections on the old name stop seeing data)`);
  }
  if ((old.schema.description ?? "") !== (next.schema.description ?? "")) d.note(["description"], RULES.description, "description changed");
  d.fields(old.schema.fields, next.schema.fields, [], [], []);
  return d.done();
}

/** A whole log type that the new version no longer has: an error located in the old file. */
export function deletedLogType(old: SchemaVersion): Finding {
  const pos = locate(old.source, ["schema"]);
  return {
    file: old.label,
    ...pos,
    severity: "error",
    rule: RULES.logTypeDeleted,
    message: `log type "${old.schema.schema}" was deleted (its table and the detections reading it lose their data)`,
    path: "schema",
  };
}

/** A log type only the new version has: a note. */
export function addedLogType(next: SchemaVersion): Finding {
  return { file: next.label, ...locate(next.source, ["schema"]), severity: "note", rule: RULES.logTypeAdded, message: `new log type "${next.schema.schema}"`, path: "schema" };
}

/** A value with refs resolved, and where (in each document) its keys are written. */
interface Place {
  value: ValueSchema;
  /** Path of the value's own keys in the document (a ref's target definition once resolved). */
  doc: SchemaPath;
}

class Differ {
  private readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly old: SchemaVersion,
    private readonly next: SchemaVersion,
  ) {}

  error(path: SchemaPath, rule: string, message: string, atKey = false): void {
    this.add(path, "error", rule, message, atKey);
  }

  note(path: SchemaPath, rule: string, message: string, atKey = false): void {
    this.add(path, "note", rule, message, atKey);
  }

  private add(path: SchemaPath, severity: Finding["severity"], rule: string, message: string, atKey: boolean): void {
    const pos = locate(this.next.source, path, atKey);
    const finding: Finding = { file: this.next.label, line: pos.line, col: pos.col, severity, rule, message, path: formatPath(path) };
    // A definition used by several fields would report each change once per use.
    const key = `${finding.line}:${finding.col}:${rule}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(finding);
  }

  done(): Finding[] {
    return this.findings.sort((a, b) => a.line - b.line || (a.col ?? 0) - (b.col ?? 0));
  }

  /** Where a field of the old version is written, for messages ("was at old.yml:12:5"). */
  private oldAt(path: SchemaPath): string {
    const pos = locate(this.old.source, path, true);
    return `${this.old.label}:${pos.line}:${pos.col}`;
  }

  /**
   * Compares two field lists. `name` is the field path for messages (["actor", "email"]),
   * `oldDoc`/`newDoc` where the lists' owners are written (the list is at `…, "fields"`).
   */
  fields(olds: readonly FieldSchema[], news: readonly FieldSchema[], name: string[], oldDoc: SchemaPath, newDoc: SchemaPath, depth = 0): void {
    if (depth > MAX_DEPTH) return;
    const newByName = new Map(news.map((f, i) => [f.name, i]));
    const oldByName = new Map(olds.map((f, i) => [f.name, i]));
    const gone = olds.map((f, i) => ({ f, i })).filter(({ f }) => !newByName.has(f.name));
    const added = new Set(news.map((f, i) => ({ f, i })).filter(({ f }) => !oldByName.has(f.name)).map(({ i }) => i));

    for (const { f, i } of gone) {
      const was = this.oldAt([...oldDoc, "fields", i, "name"]);
      const label = fieldLabel([...name, f.name]);
      const j = this.renamedTo(f, i, olds, news, added, oldDoc, newDoc);
      if (j !== undefined) {
        added.delete(j);
        const to = news[j] as FieldSchema;
        this.error([...newDoc, "fields", j, "name"], RULES.renamed, `field "${label}" renamed to "${fieldLabel([...name, to.name])}" (was at ${was}): a new column; old rows keep the old one`);
        continue;
      }
      this.error([...newDoc, "fields"], RULES.deleted, `field "${label}" was deleted (was at ${was}): its column disappears from new rows`, true);
    }
    for (const j of added) {
      const f = news[j] as FieldSchema;
      const label = fieldLabel([...name, f.name]);
      // A new required field fails every event shaped like the old ones.
      if (f.required) this.error([...newDoc, "fields", j, "required"], RULES.required, `new field "${label}" is required: events without it, which were accepted, now fail`);
      else if (f.isEventTime) this.error([...newDoc, "fields", j, "isEventTime"], RULES.eventTime, `new field "${label}" is the event time (p_event_time changes for events that have it)`);
      else this.note([...newDoc, "fields", j, "name"], RULES.added, `new field "${label}" (${typeWord(f, this.next.schema)})`);
    }
    news.forEach((nf, j) => {
      const i = oldByName.get(nf.name);
      if (i === undefined) return;
      this.field(olds[i] as FieldSchema, nf, [...name, nf.name], [...oldDoc, "fields", i], [...newDoc, "fields", j], depth);
    });
  }

  /**
   * The added field a deleted one was renamed to: one that says so (`rename: {from: old}`), or
   * one of the same shape whose name is close (user_name → username) or that took its place
   * (the same field before it). Anything else is a deletion and an addition.
   */
  private renamedTo(f: FieldSchema, i: number, olds: readonly FieldSchema[], news: readonly FieldSchema[], added: ReadonlySet<number>, oldDoc: SchemaPath, newDoc: SchemaPath): number | undefined {
    const candidates = [...added];
    const told = candidates.find((j) => news[j]?.rename?.from === f.name);
    if (told !== undefined) return told;
    const sig = signature(this.resolve(f, oldDoc, this.old.schema).value, this.old.schema, 0);
    const same = candidates.filter((j) => signature(this.resolve(news[j] as FieldSchema, newDoc, this.next.schema).value, this.next.schema, 0) === sig);
    const close = suggest(f.name, same.map((j) => (news[j] as FieldSchema).name));
    if (close !== undefined) return same.find((j) => news[j]?.name === close);
    const before = i > 0 ? olds[i - 1]?.name : undefined;
    return same.find((j) => (j > 0 ? news[j - 1]?.name : undefined) === before);
  }

  private resolve(v: ValueSchema, doc: SchemaPath, schema: LogSchema): Place {
    let value = v;
    let at = doc;
    // A ref to a ref is allowed by nothing, but a bounded loop costs nothing either.
    for (let n = 0; n < 8 && value.type === "ref" && value.target !== undefined; n++) {
      const def = schema.definitions?.[value.target];
      if (def === undefined) break;
      at = ["definitions", value.target];
      value = def;
    }
    return { value, doc: at };
  }

  private field(of: FieldSchema, nf: FieldSchema, name: string[], oldDoc: SchemaPath, newDoc: SchemaPath, depth: number): void {
    const label = fieldLabel(name);
    if (!of.required && nf.required) {
      this.error([...newDoc, "required"], RULES.required, `field "${label}" is now required: events without it, which were accepted, now fail`);
    }
    if (Boolean(of.isEventTime) !== Boolean(nf.isEventTime)) {
      const message = nf.isEventTime ? `field "${label}" is now the event time (p_event_time changes for events that have it)` : `field "${label}" is no longer the event time (p_event_time changes for events that have it)`;
      this.error(nf.isEventTime ? [...newDoc, "isEventTime"] : [...newDoc, "name"], RULES.eventTime, message, !nf.isEventTime);
    }
    if ((of.description ?? "") !== (nf.description ?? "")) {
      this.note(nf.description === undefined ? [...newDoc, "name"] : [...newDoc, "description"], RULES.description, `description of "${label}" changed`);
    }
    this.value(of, nf, name, oldDoc, newDoc, depth);
  }

  /** Compares the type-bearing part of two values (a field, or an array's element). */
  private value(ov: ValueSchema, nv: ValueSchema, name: string[], oldDoc: SchemaPath, newDoc: SchemaPath, depth: number): void {
    const o = this.resolve(ov, oldDoc, this.old.schema);
    const n = this.resolve(nv, newDoc, this.next.schema);
    const label = fieldLabel(name);
    // Indicators and time formats sit on the field itself (or on the definition it refers to).
    const oldInd = o.value.indicators ?? [];
    const newInd = n.value.indicators ?? [];
    const plus = newInd.filter((k) => !oldInd.includes(k));
    const minus = oldInd.filter((k) => !newInd.includes(k));
    if (plus.length > 0 || minus.length > 0) {
      const parts = [plus.length > 0 ? `added ${plus.join(", ")}` : "", minus.length > 0 ? `removed ${minus.join(", ")}` : ""].filter(Boolean);
      this.note(n.value.indicators ? [...n.doc, "indicators"] : [...n.doc, "type"], RULES.indicators, `indicators of "${label}": ${parts.join("; ")}`);
    }
    if (o.value.type !== n.value.type) {
      this.error([...n.doc, "type"], RULES.type, `type of "${label}" changed from ${typeWord(o.value, this.old.schema)} to ${typeWord(n.value, this.next.schema)}: the column's type changes and old rows no longer match it`);
      return;
    }
    switch (n.value.type) {
      case "timestamp": {
        const of = o.value.timeFormats ?? [];
        const nf = n.value.timeFormats ?? [];
        if (of.join("\u0000") !== nf.join("\u0000")) {
          this.note([...n.doc, "timeFormats", 0], RULES.timeFormats, `time formats of "${label}" changed from [${of.join(", ")}] to [${nf.join(", ")}] (values still stored as timestamps)`);
        }
        return;
      }
      case "object":
        this.fields(o.value.fields ?? [], n.value.fields ?? [], name, o.doc, n.doc, depth + 1);
        return;
      case "array": {
        const oe = o.value.element;
        const ne = n.value.element;
        if (oe === undefined || ne === undefined) return;
        const elementName = [...name.slice(0, -1), `${name[name.length - 1] ?? ""}[]`];
        const oel = this.resolve(oe, [...o.doc, "element"], this.old.schema);
        const nel = this.resolve(ne, [...n.doc, "element"], this.next.schema);
        if (oel.value.type !== nel.value.type) {
          this.error(
            [...nel.doc, "type"],
            RULES.type,
            `element type of "${label}" changed from ${typeWord(oel.value, this.old.schema)} to ${typeWord(nel.value, this.next.schema)}: the column's type changes and old rows no longer match it`,
          );
          return;
        }
        this.value(oe, ne, elementName, [...o.doc, "element"], [...n.doc, "element"], depth + 1);
        return;
      }
      default:
        return;
    }
  }
}

/** `actor.email`, `targets[].id` */
function fieldLabel(name: readonly string[]): string {
  return name.join(".").replace(/\.\[\]/g, "[]");
}

/** A type as a person reads it: `string`, `array of bigint`, `object`. */
function typeWord(v: ValueSchema, schema: LogSchema, depth = 0): string {
  if (v.type === "ref" && v.target !== undefined) {
    const def = schema.definitions?.[v.target];
    return def && depth < 8 ? typeWord(def, schema, depth + 1) : `ref ${v.target}`;
  }
  if (v.type === "array" && v.element && depth < 8) return `array of ${typeWord(v.element, schema, depth + 1)}`;
  return v.type;
}

/** The shape of a value (types and field names, refs resolved) as text, to match renamed fields. */
function signature(v: ValueSchema, schema: LogSchema, depth: number): string {
  if (depth > 16) return "…";
  if (v.type === "ref" && v.target !== undefined) {
    const def = schema.definitions?.[v.target];
    return def ? signature(def, schema, depth + 1) : `ref:${v.target}`;
  }
  if (v.type === "object") return `{${(v.fields ?? []).map((f) => `${f.name}:${signature(f, schema, depth + 1)}`).join(",")}}`;
  if (v.type === "array") return `[${v.element ? signature(v.element, schema, depth + 1) : ""}]`;
  return v.type;
}
