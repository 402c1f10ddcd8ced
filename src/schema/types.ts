/**
 * The log schema language (Panther's YAML format) as TypeScript types. These describe a schema
 * after it has been checked (see compile errors in the engine); YAML comes in as `unknown`.
 */

export const FIELD_TYPES = [
  "string",
  "int",
  "smallint",
  "bigint",
  "float",
  "boolean",
  "timestamp",
  "array",
  "object",
  "json",
  "ref",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type IpFamily = "ipv4" | "ipv6" | "any";

export interface ValidateSpec {
  allow?: string[];
  deny?: string[];
  ip?: IpFamily;
  cidr?: IpFamily;
}

export interface ValueSchema {
  type: FieldType;
  fields?: FieldSchema[];
  element?: ValueSchema;
  target?: string;
  indicators?: string[];
  validate?: ValidateSpec;
  /** `timeFormat` is read as a one-element `timeFormats`. */
  timeFormats?: string[];
  isEventTime?: boolean;
  isEmbeddedJSON?: boolean;
}

export interface FieldSchema extends ValueSchema {
  name: string;
  required?: boolean;
  description?: string;
}

export interface LogSchema {
  schema: string;
  description?: string;
  referenceURL?: string;
  version?: number;
  parser?: Record<string, unknown>;
  fields: FieldSchema[];
  definitions?: Record<string, ValueSchema>;
}

/** A path into a schema document, e.g. ["fields", 3, "fields", 0, "timeFormat"]. */
export type SchemaPath = ReadonlyArray<string | number>;

/** A problem found in a schema: where, what, and a stable rule id. */
export interface SchemaIssue {
  path: SchemaPath;
  message: string;
  rule: string;
  severity: "error" | "warning";
  /** Point at the key itself rather than its value (e.g. unknown keys). */
  atKey?: boolean;
}
