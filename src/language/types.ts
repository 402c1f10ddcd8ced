/**
 * The log schema language (Panther's YAML format) as TypeScript types. These describe a schema
 * after it has been checked (see compile errors in the engine); YAML comes in as `unknown`. The
 * names (types, keys, parsers, time formats, indicators) and their rules are in vocabulary/.
 */
import type { FieldType } from "./vocabulary/field-types.js";
import type { HashAlgorithm, IpFamily, VALIDATE_OPTIONS } from "./vocabulary/keywords.js";
import type { COMMON_TEXT_OPTIONS, ParserName, TextParserName } from "./vocabulary/parsers.js";


export { FIELD_TYPES, type FieldType } from "./vocabulary/field-types.js";
export { HASH_ALGORITHMS, TRANSFORMATIONS, type HashAlgorithm, type IpFamily, type TransformationKey } from "./vocabulary/keywords.js";

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

/**
 * Transformations (Panther's `rename`, `copy`, `concat`, `split`, `mask`): keys of a field entry,
 * not of array elements or definitions. They produce the value the field's type then coerces and
 * run in this fixed order, each on the result of the one before:
 *   source (at most one of rename, copy, concat, split.from) → split → mask → isEmbeddedJSON → type.
 * A PATH is dot-separated keys relative to the object that holds the field ("actor.email");
 * a purely numeric segment also indexes an array ("targets.0.id").
 */

/** `rename: {from: KEY}`: the value of input key KEY (one key, dots included) of the same object; KEY is consumed. */
export interface RenameSpec {
  from: string;
}

/** `copy: {from: PATH}`: the value at PATH; the source stays where it is. */
export interface CopySpec {
  from: string;
}

/** `concat: {paths: [PATH, ...], separator: ""}`: the present parts as text, joined. */
export interface ConcatSpec {
  paths: string[];
  /** Default "". */
  separator: string;
}

/**
 * `split: {separator: S, index?: N, from?: PATH}`: cuts the text at S. With `index` (negative
 * counts from the end) one part, absent when out of range; without it, all parts (an array field).
 * `from` reads PATH instead of the field's own key.
 */
export interface SplitSpec {
  separator: string;
  index?: number;
  from?: string;
}

/**
 * `mask: {type: redact, to: "***"}` replaces the whole value by `to` (default "***");
 * `mask: {type: hash, algorithm: sha256, salt: ""}` replaces it by the lowercase hex digest of
 * salt + value (UTF-8). Only on string fields.
 */
export type MaskSpec = { type: "redact"; to: string } | { type: "hash"; algorithm: HashAlgorithm; salt: string };

export interface Transformations {
  rename?: RenameSpec;
  copy?: CopySpec;
  concat?: ConcatSpec;
  split?: SplitSpec;
  mask?: MaskSpec;
}

export interface FieldSchema extends ValueSchema, Transformations {
  name: string;
  required?: boolean;
  description?: string;
}

/** The field reads its value from somewhere other than its own key. */
export function hasSource(f: Transformations): boolean {
  return f.rename !== undefined || f.copy !== undefined || f.concat !== undefined || f.split?.from !== undefined;
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

/** The options of each text parser, by its name in the vocabulary. */
export interface TextParserSpecs {
  fastmatch: FastmatchParserSpec;
  regex: RegexParserSpec;
  csv: CsvParserSpec;
}

/** `parser:` names exactly one parser; without it, events are JSON. */
export type ParserSpec = { [K in keyof TextParserSpecs]: { [P in K]: TextParserSpecs[K] } }[keyof TextParserSpecs] | { native: { name: string } };

/** Compile time: the spec types name exactly the vocabulary's parsers and options. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type KeysOf<U> = U extends unknown ? keyof U : never;
export type SpecsMatchVocabulary = [
  Same<keyof TextParserSpecs, TextParserName>,
  Same<KeysOf<ParserSpec>, ParserName>,
  Same<keyof TextParserOptions, keyof typeof COMMON_TEXT_OPTIONS>,
  Same<keyof ValidateSpec, keyof typeof VALIDATE_OPTIONS>,
] extends [true, true, true, true]
  ? true
  : never;
const specsMatch: SpecsMatchVocabulary = true;
void specsMatch;

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
