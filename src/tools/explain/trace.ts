/**
 * What `hexlog explain` tells about one event: plain data, rendered as text for people
 * (render-text.ts) or as JSON for programs (render-json.ts). Values are kept as JSON text
 * (`"abc"`, `12`, `{…}` written out) so that big integers and number literals survive as read.
 */

export interface EventTrace {
  framing: FramingTrace;
  /** Every candidate log type, in the order classification tries them. */
  candidates: CandidateTrace[];
  /** The log type whose record the event became; null when none did. */
  winner: string | null;
  /** What the real engine did with the event (the trace is checked against it). */
  outcome: RealOutcome;
}

export interface FramingTrace {
  file: string;
  /** Physical 1-based line where the event starts. */
  line: number;
  /** UTF-8 bytes of the event's text. */
  bytes: number;
  /** "json": one JSON value (NDJSON, arrays, pretty-printed); "lines": one line (a text schema is among the candidates). */
  framer: "json" | "lines";
  /** The framer could not make an event of the text (malformed JSON, oversized). */
  error?: string;
}

export type RealOutcome =
  | { kind: "record"; logType: string; record: string }
  | { kind: "error"; logType: string | null; path: string; message: string }
  | { kind: "skipped" };

export type CandidateOutcome = "matched" | "failed" | "skipped" | "not-tried";

export interface CandidateTrace {
  logType: string;
  outcome: CandidateOutcome;
  /** Why not matched / skipped / not tried. */
  error?: { path: string; message: string };
  /** The engine named this candidate as the closest when no type matched. */
  closest?: boolean;
  /** Text parsers: how the line was read. */
  parser?: ParserTrace;
  /** Why the event was read a second time keeping number literals (as the engine does). */
  lossless?: string;
  /** Per field in schema order, depth first. Empty when the walk did not start. */
  fields: FieldTrace[];
  /** Input paths the schema does not declare (left out of the record). */
  dropped: string[];
  eventTime?: EventTimeTrace;
  /** The p_any_* lists the record gets (deduplicated, sorted). */
  indicators?: Record<string, string[]>;
  /** The record's schema fields as JSON text (without p_ fields), when the walk succeeded. */
  record?: string;
}

export interface ParserTrace {
  kind: "fastmatch" | "regex" | "csv" | "native" | "json";
  /** fastmatch: each pattern tried and how far it got. */
  attempts?: Array<{ pattern: number; result: string }>;
  /** fastmatch: the pattern that matched. */
  pattern?: number;
  /** Captures per placeholder, group or column (name null: not kept; kept false: an emptyValues value, left out). */
  captures?: Array<{ name: string | null; value: string | null; kept?: false }>;
  /** expandFields: key → value made from the template. */
  expanded?: Array<{ name: string; value: string | null }>;
}

export interface EventTimeTrace {
  /** Canonical UTC text of p_event_time. */
  value: string;
  /** The field that set it; absent when it fell back to p_parse_time. */
  field?: string;
  /** Why it fell back to p_parse_time. */
  fallback?: string;
}

export type FieldStatus = "ok" | "absent" | "null" | "empty" | "error" | "not-reached";

export interface FieldTrace {
  /** Output path: `actor.email`, `targets[0].id`. */
  path: string;
  /** Where the value was read in the input (after rename, copy, concat, split.from). */
  input: string;
  /** Declared type; refs name their target: `ref Address → object`. */
  type: string;
  status: FieldStatus;
  /** The input value as JSON text; absent when the key is missing. */
  raw?: string;
  /** The record's value as JSON text (leaves and json fields). */
  output?: string;
  coercion?: string;
  transformations?: TransformationTrace[];
  timeFormats?: Array<{ format: string; result: "matched" | "no match" | "not tried"; message?: string }>;
  validate?: Array<{ rule: string; ok: boolean; message?: string }>;
  indicators?: Array<{ indicator: string; field: string; value: string }>;
  /** isEventTime fields: whether this one set p_event_time. */
  eventTime?: "chosen" | "earlier field chose" | "no value";
  error?: string;
  /** The field must be present. */
  required?: boolean;
}

export interface TransformationTrace {
  kind: "rename" | "copy" | "concat" | "split" | "mask" | "embedded JSON";
  /** Where from (input key or paths) and what it made. */
  detail: string;
  /** The value it produced, as JSON text (absent: nothing). */
  result?: string;
}
