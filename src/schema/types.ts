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
  parser?: ParserSpec;
  fields: FieldSchema[];
  definitions?: Record<string, ValueSchema>;
}

/** Options every text parser shares (Panther's `preprocessors/text.go` pipeline). */
export interface TextParserOptions {
  /** Lines starting with this text are skipped (no record, no error). */
  skipPrefix?: string;
  /** Values equal to one of these are dropped (the field becomes null). */
  emptyValues?: string[];
  /** Trim whitespace around every value (before emptyValues). */
  trimSpace?: boolean;
  /** New field name → template with `%{field}` references, in declaration order. */
  expandFields?: Record<string, string>;
}

export interface FastmatchParserSpec extends TextParserOptions {
  /** Patterns tried in order; the first that matches wins. */
  match: string[];
}

export interface RegexParserSpec extends TextParserOptions {
  /** Pieces of one pattern, joined with no separator (as Panther does). */
  match: string[];
  /** NAME → pattern, usable as `%{NAME}` / `%{NAME:field}`. */
  patternDefinitions?: Record<string, string>;
}

export interface CsvParserSpec extends TextParserOptions {
  /** One character. */
  delimiter: string;
  /** The first line of each input is a header (its names are used unless `columns` is given). */
  hasHeader?: boolean;
  /** Field name per column; "" drops that column. */
  columns?: string[];
}

/** `parser:` names exactly one parser; without it, events are JSON. */
export type ParserSpec =
  | { fastmatch: FastmatchParserSpec }
  | { regex: RegexParserSpec }
  | { csv: CsvParserSpec }
  | { native: { name: string } };

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
