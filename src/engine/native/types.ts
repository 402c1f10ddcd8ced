/**
 * What a native parser adds to a log type (`parser: native: {name: X}`): the behaviour of one of
 * Panther's built-in Go parsers that no YAML expresses. The schema's `fields` still describe the
 * record; these hooks run around its compiled normalizer.
 */
import type { CompiledSchema } from "../compile.js";
import type { FieldError } from "../errors.js";
import type { IndicatorSink } from "../indicators/fields.js";
import type { CompiledTextParser } from "../parsers/index.js";
import type { LogSchema } from "../../language/types.js";

export interface NativeBehaviour {
  /** Panther's name for the parser (`AWS.CloudTrail`). */
  readonly name: string;
  /**
   * The events one framed JSON value holds, when it is a file of several (CloudTrail's S3 form
   * `{"Records":[…]}`); undefined when the value is one event.
   */
  expandEvents?(value: unknown): unknown[] | undefined;
  /**
   * The event as the normalizer should read it (keys matched case-insensitively, values the
   * parser decodes itself), or why it is not such an event.
   * Returns a new object when it changes anything; the input stays as it was unless `inPlace`
   * (the event is this log type's alone, which the normalizer changes in place too).
   */
  prepare?(event: Record<string, unknown>, inPlace: boolean): Record<string, unknown> | FieldError;
  /** Indicators the parser finds beyond the schema's own (inside json fields), from the record. */
  scan?(record: Record<string, unknown>, sink: IndicatorSink): void;
  /**
   * Indicators the parser takes from fixed places of the event (as `prepare` returned it), before
   * the schema reads it: found whether the schema declares those fields, and as what type
   * (Panther's Go structs always have them).
   */
  scanEvent?(event: Record<string, unknown>, sink: IndicatorSink): void;
  /** Set when no event ever matches: a text format hexlog does not emulate. */
  readonly unsupported?: string;
}

/** A native parser in the registry: one module per Panther log type (or family). */
export interface NativeParser {
  /** The names it answers to (`AWS.CloudTrail`; Osquery has one per log kind). */
  readonly names: readonly string[];
  /** JSON events, or text lines. */
  readonly format: "json" | "text";
  /** One sentence for the README and `list-types`. */
  readonly summary: string;
  build(schema: LogSchema, compiled: CompiledSchema): { behaviour: NativeBehaviour; text?: CompiledTextParser };
}
