/**
 * Writes a log schema as YAML for people to read and edit: keys in a fixed order (name and type
 * first, nested fields last), one `timeFormat` when there is one (what Panther itself reads),
 * and strings quoted wherever a YAML 1.1 reader (Panther's) would take them for something else
 * (`on`, `yes`, `null`, `0777`).
 */
import { Document } from "yaml";
import type { FieldSchema, LogSchema, ValueSchema } from "../language/types.js";

type Plain = Record<string, unknown>;

function valueKeys(v: ValueSchema): Plain {
  const out: Plain = { type: v.type };
  const formats = v.timeFormats ?? [];
  if (formats.length === 1) out.timeFormat = formats[0];
  else if (formats.length > 1) out.timeFormats = formats;
  if (v.isEventTime) out.isEventTime = true;
  if (v.indicators && v.indicators.length > 0) out.indicators = v.indicators;
  if (v.validate) out.validate = v.validate;
  if (v.isEmbeddedJSON) out.isEmbeddedJSON = true;
  if (v.target !== undefined) out.target = v.target;
  if (v.element) out.element = valueKeys(v.element);
  if (v.fields) out.fields = v.fields.map(fieldKeys);
  return out;
}

export function fieldKeys(f: FieldSchema): Plain {
  const head: Plain = { name: f.name };
  if (f.required) head.required = true;
  if (f.description !== undefined) head.description = f.description;
  return { ...head, ...valueKeys(f) };
}

/** The schema as YAML text (ending with a newline), with `comment` lines on top. */
export function schemaYaml(schema: LogSchema, comment: readonly string[] = []): string {
  const top: Plain = { schema: schema.schema };
  if (schema.description !== undefined) top.description = schema.description;
  if (schema.referenceURL !== undefined) top.referenceURL = schema.referenceURL;
  top.fields = schema.fields.map(fieldKeys);
  const doc = new Document(top, { compat: "yaml-1.1" });
  if (comment.length > 0) doc.commentBefore = comment.map((l) => ` ${l}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}
