/**
 * The library's one-event view of the pipeline: give it an event (a parsed JSON object, its JSON
 * text, or a line for text log types), get back the record — as JSON text, as an object, with its
 * indicators by p_any_* name — or the failure with its field path.
 */
import { P_ANY_FIELDS, type PAnyField } from "../engine/indicators/fields.js";
import type { RecordOutcome } from "../engine/process.js";
import { EventPipeline, type EventSink, type PipelineOptions } from "./event-loop.js";
import type { EventFailure } from "./events.js";

export interface NormalizedRecord {
  ok: true;
  logType: string;
  /** The record as one line of JSON, exactly as `hexlog parse` writes it. */
  json: string;
  /**
   * The record as an object (JSON.parse of `json`, made on first use). Integers beyond 2^53 in
   * `bigint` and `json` fields lose precision here, as with any JSON.parse: `json` keeps them.
   */
  readonly record: Record<string, unknown>;
  /** Indicator values by p_any_* field (deduplicated, sorted; fields without values absent). */
  indicators: Partial<Record<PAnyField, string[]>>;
}

export interface NormalizeFailure {
  ok: false;
  /** The log type that failed (the closest one when classifying), or null. */
  logType: string | null;
  /** Where in the event, e.g. `event.occurred_at` ("" for the event as a whole). */
  path: string;
  message: string;
}

export type NormalizeOutcome = NormalizedRecord | NormalizeFailure;

export type NormalizerOptions = PipelineOptions;

/** A record outcome of the engine as the library shows it. */
export function toNormalizedRecord(r: RecordOutcome): NormalizedRecord {
  const indicators: Partial<Record<PAnyField, string[]>> = {};
  r.indicators?.forEach((list, i) => {
    if (list && list.length > 0) indicators[P_ANY_FIELDS[i] as PAnyField] = list;
  });
  let record: Record<string, unknown> | undefined;
  return {
    ok: true,
    logType: r.logType,
    json: r.json,
    get record() {
      record ??= JSON.parse(r.json) as Record<string, unknown>;
      return record;
    },
    indicators,
  };
}

export function toNormalizeFailure(f: EventFailure): NormalizeFailure {
  return { ok: false, logType: f.logType, path: f.path, message: f.message };
}

export class Normalizer {
  private readonly pipeline: EventPipeline;

  constructor(options: NormalizerOptions) {
    this.pipeline = new EventPipeline({ ...options, indicators: options.indicators ?? true });
  }

  /**
   * One event. A string is the event's text: one JSON value, or one line for text log types;
   * anything else is taken as the parsed JSON value of the event.
   */
  normalize(event: unknown): NormalizeOutcome {
    const text = typeof event === "string" ? event : JSON.stringify(event);
    if (text === undefined) return { ok: false, logType: this.pipeline.singleType, path: "", message: `expected a JSON object, got ${typeof event}` };
    const outcomes = this.normalizeText(text);
    const first = outcomes[0];
    if (outcomes.length === 1 && first) return first;
    if (outcomes.length === 0) return { ok: false, logType: this.pipeline.singleType, path: "", message: "no event in the text" };
    return { ok: false, logType: this.pipeline.singleType, path: "", message: `the text holds ${outcomes.length} events: use normalizeText` };
  }

  /** Every event in a text (NDJSON, concatenated or pretty JSON, an array, or lines), in order. */
  normalizeText(text: string): NormalizeOutcome[] {
    const out: NormalizeOutcome[] = [];
    const sink: EventSink = {
      record: (r) => void out.push(toNormalizedRecord(r)),
      failure: (f) => void out.push(toNormalizeFailure(f)),
    };
    const input = this.pipeline.open("<text>");
    input.push(Buffer.from(text, "utf8"), sink);
    input.end(sink);
    return out;
  }
}
