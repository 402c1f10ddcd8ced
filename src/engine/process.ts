/**
 * The engine's boundary: one parsed event in, one outcome out — a record (as JSON text) or an
 * error value naming the field path. Classifies among several log types (first in declared
 * order wins) and re-reads an event losslessly when the fast path needs number literals.
 */
import { FieldError, formatPath, NEED_LOSSLESS } from "./errors.js";
import { parseLossless } from "./lossless-json.js";
import { restoreRaw } from "./raw-json.js";
import type { LogType } from "./logtype.js";
import type { RowIds } from "./rowid.js";
import { EventState } from "./state.js";
import { countUnknownFields } from "./unknown-fields.js";

export interface RecordOutcome {
  ok: true;
  logType: string;
  /** The record as one line of compact JSON. */
  json: string;
  /** Indicator values per P_ANY_FIELDS index (deduplicated, sorted), when asked for. */
  indicators: Array<string[] | null> | null;
}

export interface ErrorOutcome {
  ok: false;
  /** The log type that failed (the closest one when classifying). */
  logType: string | null;
  path: string;
  message: string;
}

export type Outcome = RecordOutcome | ErrorOutcome;

export interface ProcessorOptions {
  rowIds: RowIds;
  sourceId?: string | undefined;
  sourceLabel?: string | undefined;
  /** Return indicator lists with each record (for --indicators). */
  collectIndicators?: boolean;
  /** Count input paths the matched schema does not declare (--unknown-fields). */
  unknownFields?: Map<string, number> | undefined;
}

/** Long digit runs may be integers beyond 2^53 inside json fields, which JSON.parse would round. */
const LONG_DIGITS = /[0-9]{16}/;

export class EventProcessor {
  private readonly state = new EventState();
  private parseTime = "";

  constructor(
    private readonly types: readonly LogType[],
    private readonly options: ProcessorOptions,
  ) {
    if (types.length === 0) throw new Error("EventProcessor needs at least one log type");
  }

  /** Sets p_parse_time for the events that follow (canonical UTC text) and "now" for formats. */
  setClock(nowSec: number, parseTime: string): void {
    this.state.nowSec = nowSec;
    this.parseTime = parseTime;
  }

  process(raw: string, value: unknown): Outcome {
    if (value === null) value = {};
    if (typeof value !== "object" || Array.isArray(value)) {
      return { ok: false, logType: this.types.length === 1 ? (this.types[0] as LogType).name : null, path: "", message: `expected a JSON object, got ${kindOf(value)}` };
    }
    const obj = value as Record<string, unknown>;
    let lossless: Record<string, unknown> | undefined;
    let best: { type: number; error: FieldError } | undefined;
    for (let t = 0; t < this.types.length; t++) {
      const type = this.types[t] as LogType;
      let body: Body | FieldError;
      try {
        if (type.compiled.hasJson && LONG_DIGITS.test(raw)) throw NEED_LOSSLESS;
        body = this.run(type, obj, false);
      } catch (e) {
        if (e !== NEED_LOSSLESS) throw e;
        if (!lossless) {
          try {
            lossless = parseLossless(raw) as Record<string, unknown>;
          } catch (err) {
            return { ok: false, logType: type.name, path: "", message: `invalid JSON: ${(err as Error).message}` };
          }
        }
        body = this.run(type, lossless, true);
      }
      if (!(body instanceof FieldError)) {
        const rec = this.record(t, body);
        if (rec instanceof FieldError) {
          body = rec;
        } else {
          if (this.options.unknownFields) countUnknownFields(obj, type.compiled.shape, this.options.unknownFields);
          return rec;
        }
      }
      // When classifying, the failure that got deepest into the event is the most telling.
      if (!best || body.path.length > best.error.path.length) best = { type: t, error: body };
    }
    const failed = best as { type: number; error: FieldError };
    const name = (this.types[failed.type] as LogType).name;
    if (this.types.length === 1) return { ok: false, logType: name, path: formatPath(failed.error.path), message: failed.error.message };
    return {
      ok: false,
      logType: name,
      path: formatPath(failed.error.path),
      message: `${failed.error.message} (matches none of ${this.types.length} log types; ${name} came closest)`,
    };
  }

  private run(type: LogType, obj: Record<string, unknown>, lossless: boolean): Body | FieldError {
    this.state.reset(lossless);
    try {
      return type.compiled.body(obj, this.state);
    } catch (e) {
      if (e instanceof FieldError) return e;
      if (e instanceof RangeError) return new FieldError([], `event too deeply nested (${e.message})`);
      throw e;
    }
  }

  /** Adds the p_ fields and serializes; fails only when a json value cannot be serialized. */
  private record(t: number, body: Body): RecordOutcome | FieldError {
    const s = this.state;
    const type = this.types[t] as LogType;
    const o = typeof body === "string" ? ({} as Record<string, unknown>) : body;
    o.p_log_type = type.name;
    o.p_row_id = this.options.rowIds.next();
    o.p_event_time = s.eventTime ?? this.parseTime;
    o.p_parse_time = this.parseTime;
    if (this.options.sourceId) o.p_source_id = this.options.sourceId;
    if (this.options.sourceLabel) o.p_source_label = this.options.sourceLabel;
    const indicators = s.hasIndicators() ? s.storeIndicators(o, this.options.collectIndicators === true) : null;
    let json: string;
    try {
      json = JSON.stringify(o);
    } catch (e) {
      return new FieldError([], `cannot serialize the record: ${(e as Error).message}`);
    }
    if (typeof body === "string") json = body === "{}" ? json : `${body.slice(0, -1)},${json.slice(1)}`;
    if (s.hasRaw || typeof body === "string") json = restoreRaw(json);
    return { ok: true, logType: type.name, json, indicators: this.options.collectIndicators ? indicators : null };
  }
}

type Body = Record<string, unknown> | string;

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return "a string";
  if (typeof v === "number") return "a number";
  if (typeof v === "boolean") return "a boolean";
  return typeof v;
}
