/**
 * The engine's boundary: one parsed event in, one outcome out — a record (as JSON text) or an
 * error value naming the field path. Classifies among several log types (first in declared
 * order wins) and re-reads an event losslessly when the fast path needs number literals.
 */
import { FieldError, formatPath, NEED_LOSSLESS } from "./errors.js";
import { parseLossless } from "./lossless-json.js";
import { restoreRaw } from "./raw-json.js";
import type { LogType } from "./logtype.js";
import type { RowIdSource } from "./rowid.js";
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
  rowIds: RowIdSource;
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
  /** `,"p_log_type":"<name>","p_row_id":"` per type. */
  private readonly typeKeys: string[];
  private readonly sourceFields: string;

  constructor(
    private readonly types: readonly LogType[],
    private readonly options: ProcessorOptions,
  ) {
    if (types.length === 0) throw new Error("EventProcessor needs at least one log type");
    this.typeKeys = types.map((t) => `,"p_log_type":${JSON.stringify(t.name)},"p_row_id":"`);
    this.sourceFields =
      (options.sourceId ? `,"p_source_id":${JSON.stringify(options.sourceId)}` : "") +
      (options.sourceLabel ? `,"p_source_label":${JSON.stringify(options.sourceLabel)}` : "");
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
    // Counted before normalizing, which may coerce the event in place.
    const unknown = this.options.unknownFields;
    let unknownHere: Map<string, number> | undefined;
    for (let t = 0; t < this.types.length; t++) {
      const type = this.types[t] as LogType;
      let body: Body | FieldError;
      try {
        if (type.compiled.hasJson && LONG_DIGITS.test(raw)) throw NEED_LOSSLESS;
        if (unknown) countUnknownFields(obj, type.compiled.shape, (unknownHere = new Map()));
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
          if (unknown && unknownHere) for (const [k, n] of unknownHere) unknown.set(k, (unknown.get(k) ?? 0) + n);
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
      // A failed attempt must leave the event as it was for the next candidate type.
      return this.types.length === 1 ? type.compiled.bodyInPlace(obj, this.state) : type.compiled.body(obj, this.state);
    } catch (e) {
      if (e instanceof FieldError) return e;
      if (e instanceof RangeError) return new FieldError([], `event too deeply nested (${e.message})`);
      throw e;
    }
  }

  /**
   * Serializes the record: the schema fields through the native JSON.stringify, then the p_
   * fields appended as text (all but the indicator lists are known to need no escaping).
   * Fails only when a json value cannot be serialized.
   */
  private record(t: number, body: Body): RecordOutcome | FieldError {
    const s = this.state;
    const type = this.types[t] as LogType;
    let fields: string;
    try {
      fields = typeof body === "string" ? body : JSON.stringify(body);
    } catch (e) {
      return new FieldError([], `cannot serialize the record: ${(e as Error).message}`);
    }
    const lists = this.options.collectIndicators ? new Array<string[] | null>(15).fill(null) : null;
    const tail =
      this.typeKeys[t] +
      this.options.rowIds.next() +
      '","p_event_time":"' +
      (s.eventTime ?? this.parseTime) +
      '","p_parse_time":"' +
      this.parseTime +
      '"' +
      this.sourceFields +
      (s.hasIndicators() ? s.indicatorsJson(lists) : "");
    let json = fields.length === 2 ? `{${tail.slice(1)}}` : `${fields.slice(0, -1)}${tail}}`;
    if (s.hasRaw || typeof body === "string") json = restoreRaw(json);
    return { ok: true, logType: type.name, json, indicators: lists };
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
