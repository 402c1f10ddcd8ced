/**
 * The engine's boundary: one parsed event in, one outcome out — a record (as JSON text) or an
 * error value naming the field path. Classifies among several log types (first in declared
 * order wins) and re-reads an event losslessly when the fast path needs number literals.
 * An event no type accepts is blamed on the type it got furthest with (see `failure`).
 */
import { FieldError, formatPath, NEED_LOSSLESS, type FieldPath } from "./errors.js";
import { P_ANY_FIELDS } from "./indicators/fields.js";
import type { TextParser } from "./parsers/index.js";
import { LineFailure, SKIP, type LineResult } from "./parsers/pipeline.js";
import { parseLossless } from "./lossless-json.js";
import { mayHoldInexactNumber } from "./number-literals.js";
import { restoreRaw } from "./raw-json.js";
import { expandEvents, type LogType } from "./logtype.js";
import type { WriterFunction } from "./compile.js";
import type { RowIdSource } from "./rowid.js";
import type { NativeBehaviour } from "./native/index.js";
import { EventState } from "./state.js";
import { countDeclaredFields, countUnknownFields } from "./unknown-fields.js";

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
  /** When classifying: each candidate type's first error, the closest first. */
  candidates?: CandidateError[] | undefined;
}

/** Why one candidate log type did not take an event. */
export interface CandidateError {
  logType: string;
  path: string;
  message: string;
}

/** One candidate's failure and how far the event got with it (higher is closer). */
interface Attempt {
  type: number;
  /** Input fields the type declares (text types: 0 when the line did not match, scaled closeness). */
  reach: number;
  path: string;
  depth: number;
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

/** Per-input state of text parsers (a CSV header belongs to its own file). */
export class LineStream {
  readonly parsers: Array<TextParser | undefined>;
  /** Some parser must see the next line whichever type takes it. */
  eager: boolean;

  constructor(types: readonly LogType[]) {
    this.parsers = types.map((t) => t.text?.open());
    this.eager = this.parsers.some((p) => p?.eager === true);
  }
}

/** Not parsed yet (a line is read as JSON at most once, and only if a JSON type is tried). */
export const UNREAD: unique symbol = Symbol("unread");
/** A line that is text, not JSON: no JSON type comes close to it. */
export const NOT_JSON: unique symbol = Symbol("not-json");

/** A line of a text stream as a JSON event; why it is not one only if it looks like an object. */
export function readJsonLine(line: string): unknown {
  // Only an object (or `null`) is an event, and a text line rarely starts like one: deciding that
  // from its first character spares JSON.parse's exception, most of a text schema's cost when
  // JSON types are tried before it. (Skips what trimStart skips, so "looks like an object" agrees.)
  let i = 0;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  const first = line.charCodeAt(i);
  if (first !== 0x7b /* { */ && first !== 0x6e /* n */) return NOT_JSON;
  try {
    const v = JSON.parse(line) as unknown;
    if (v === null) return {};
    return typeof v === "object" && !Array.isArray(v) ? v : NOT_JSON;
  } catch {
    if (!line.trimStart().startsWith("{")) return NOT_JSON;
    try {
      parseLossless(line);
    } catch (e) {
      return new FieldError([], `invalid JSON: ${(e as Error).message}`);
    }
    return NOT_JSON;
  }
}

/** Whitespace as String.prototype.trim sees it (ECMAScript WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0xa0) return false;
  return /\s/.test(String.fromCharCode(c));
}

export class EventProcessor {
  private readonly state = new EventState();
  /** The current event re-read losslessly, once needed. */
  private lossless: Record<string, unknown> | undefined;
  private parseTime = "";
  /** `"p_log_type":"<name>","p_row_id":"` per type. */
  private readonly typeKeys: string[][];
  private readonly sourceFields: string;
  /** `","p_parse_time":"<time>"` and the source fields: the same for every event of a chunk. */
  private parseTimeAndSource = "";
  /** parseTimeAndSource and the record's closing brace (for a record without indicators). */
  private parseTimeSourceAndEnd = "";
  /** Some candidate type reads files of several events (see expand). */
  private readonly expanding: boolean;

  constructor(
    private readonly types: readonly LogType[],
    private readonly options: ProcessorOptions,
  ) {
    if (types.length === 0) throw new Error("EventProcessor needs at least one log type");
    // By what the fields before them leave open (EventState.open): the p_ fields' first piece.
    this.typeKeys = types.map((t) => {
      const keys = `"p_log_type":${JSON.stringify(t.name)},"p_row_id":"`;
      return [`{${keys}`, `",${keys}`, `,${keys}`];
    });
    this.sourceFields =
      (options.sourceId ? `,"p_source_id":${JSON.stringify(options.sourceId)}` : "") +
      (options.sourceLabel ? `,"p_source_label":${JSON.stringify(options.sourceLabel)}` : "");
    this.expanding = types.some((t) => t.native?.expandEvents !== undefined);
    this.setClock(0, "");
  }

  /**
   * The events one framed JSON value holds, each with its own JSON text, when a candidate type
   * reads it as a file of events (CloudTrail's `{"Records":[…]}`); undefined when the value is one
   * event, the common case. Callers process each event in turn.
   */
  expand(raw: string, value: unknown): Array<{ raw: string; value: unknown }> | undefined {
    if (!this.expanding) return undefined;
    for (const type of this.types) {
      const events = expandEvents(type, value);
      if (!events) continue;
      if (!mayHoldInexactNumber(raw)) return events.map((v) => ({ raw: JSON.stringify(v), value: v }));
      // Literals a double would change (beyond 2^53, 1.0, -0) are kept: the events are cut from a lossless reading.
      return (expandEvents(type, parseLossless(raw)) ?? []).map((v) => {
        const text = restoreRaw(JSON.stringify(v));
        return { raw: text, value: JSON.parse(text) as unknown };
      });
    }
    return undefined;
  }

  /**
   * The events one framed JSON event holds when its value holds several (see expand), each at
   * the same line; undefined when it is one event, or when no candidate type reads files of events.
   */
  expandOne<E extends { raw: string; value?: unknown; error?: string | undefined }>(ev: E): E[] | undefined {
    if (!this.expanding || ev.error !== undefined) return undefined;
    // Framed by lines (a text type is among the candidates), the value is the line's text.
    const line = typeof ev.value === "string";
    let value = ev.value;
    if (line) {
      if (!ev.raw.trimStart().startsWith("{")) return undefined;
      try {
        value = JSON.parse(ev.raw) as unknown;
      } catch {
        return undefined;
      }
    }
    return this.expand(ev.raw, value)?.map((m) => ({ ...ev, raw: m.raw, value: line ? m.raw : m.value }));
  }

  /** Sets p_parse_time for the events that follow (canonical UTC text) and "now" for formats. */
  setClock(nowSec: number, parseTime: string): void {
    this.state.nowSec = nowSec;
    this.parseTime = parseTime;
    this.parseTimeAndSource = `","p_parse_time":"${parseTime}"${this.sourceFields}`;
    this.parseTimeSourceAndEnd = `${this.parseTimeAndSource}}`;
  }

  /** Some candidate type reads a value as a file of events (see expandOne). */
  get expandsEvents(): boolean {
    return this.expanding;
  }

  /** Whether inputs are framed by lines: some candidate type has a text parser. */
  get lineBased(): boolean {
    // A text format hexlog does not emulate reads lines only when it is the one type.
    return this.types.some((t) => t.text !== undefined && (this.types.length === 1 || t.native?.unsupported === undefined));
  }

  /** Some text parser's state runs through a whole stream (a CSV header): no part stands alone. */
  get wholeStream(): boolean {
    return this.types.some((t) => t.text?.wholeStream === true);
  }

  /** State for one input stream read line by line. */
  openStream(): LineStream {
    return new LineStream(this.types);
  }

  process(raw: string, value: unknown): Outcome {
    if (value === null) value = {};
    if (typeof value !== "object" || Array.isArray(value)) {
      return { ok: false, logType: this.types.length === 1 ? (this.types[0] as LogType).name : null, path: "", message: `expected a JSON object, got ${kindOf(value)}` };
    }
    const obj = value as Record<string, unknown>;
    this.lossless = undefined;
    this.state.setText(raw);
    if (this.types.length === 1) {
      const r = this.tryJson(0, raw, obj);
      return r instanceof FieldError ? this.failure([{ type: 0, reach: 0, path: formatPath(r.path), depth: r.path.length, message: r.message }]) : r;
    }
    let attempts: Attempt[] | undefined;
    for (let t = 0; t < this.types.length; t++) {
      const r = this.tryJson(t, raw, obj);
      if (!(r instanceof FieldError)) return r;
      // Measured only once every type failed: classifying stays one attempt per type.
      (attempts ??= []).push({ type: t, reach: -1, path: formatPath(r.path), depth: r.path.length, message: r.message });
    }
    const read = this.lossless ?? obj;
    for (const a of attempts as Attempt[]) a.reach = countDeclaredFields(read, (this.types[a.type] as LogType).compiled.shape);
    return this.failure(attempts as Attempt[]);
  }

  /**
   * One line of a text stream (some candidate type has a text parser): the first type in
   * declared order that reads it wins; JSON types read the line as one JSON value. Returns null
   * for a line a parser consumes without an event (skipPrefix, a CSV header).
   */
  processLine(line: string, stream: LineStream): Outcome | null {
    const parsers = stream.parsers;
    // Parsers still waiting for their stream's first line (a CSV header) see it whoever takes it.
    let early: Array<LineResult | undefined> | undefined;
    if (stream.eager) {
      early = [];
      stream.eager = false;
      parsers.forEach((p, t) => {
        if (!p?.eager) return;
        (early as Array<LineResult | undefined>)[t] = p.parse(line);
        if (p.eager) stream.eager = true;
      });
    }
    this.lossless = undefined;
    let json: unknown = UNREAD;
    const attempts: Attempt[] = [];
    const consider = (type: number, reach: number, path: FieldPath, message: string): void => {
      attempts.push({ type, reach, path: formatPath(path), depth: path.length, message });
    };
    for (let t = 0; t < this.types.length; t++) {
      const type = this.types[t] as LogType;
      const parser = parsers[t];
      if (parser) {
        // A flat record of single values is written as JSON text directly (compile.ts' writer),
        // which reads the parser's dense fields (one object shape for every line).
        const writer = type.native === undefined ? type.compiled.writer : undefined;
        const fields = early?.[t] ?? parser.parse(line, writer !== undefined);
        if (fields === SKIP) return null;
        if (fields instanceof LineFailure) {
          // A line the pattern did not read is further than nothing, not as far as one declared field.
          consider(t, fields.closeness * 0.5, [], fields.message);
          continue;
        }
        let body: Body | FieldError;
        // Text parsers give strings: no number literal to keep.
        this.state.setText(null);
        try {
          body = writer ? this.write(writer, fields, false) : this.run(type, fields, false, false);
        } catch (e) {
          if (e !== NEED_LOSSLESS) throw e;
          body = writer ? this.write(writer, fields, true) : this.run(type, fields, true, false);
        }
        const rec = body instanceof FieldError ? body : writer ? this.recordFromText(t, body as string) : this.record(t, body);
        if (!(rec instanceof FieldError)) {
          if (this.options.unknownFields) countUnknownFields(fields, type.compiled.shape, this.options.unknownFields);
          return rec;
        }
        consider(t, 1 + countDeclaredFields(fields, type.compiled.shape), rec.path, rec.message);
        continue;
      }
      if (json === UNREAD) json = readJsonLine(line);
      if (json === NOT_JSON) continue;
      if (json instanceof FieldError) {
        // Looks like JSON but is broken: closer than a text pattern that does not match.
        consider(t, 0.75, [], json.message);
        continue;
      }
      this.state.setText(line);
      const r = this.tryJson(t, line, json as Record<string, unknown>);
      if (!(r instanceof FieldError)) return r;
      consider(t, 1 + countDeclaredFields(this.lossless ?? json, type.compiled.shape), r.path, r.message);
    }
    if (attempts.length === 0) attempts.push({ type: 0, reach: 0, path: "", depth: 0, message: "not a JSON object" });
    return this.failure(attempts);
  }

  /**
   * The error for an event no candidate type accepts, naming the closest type: the one that
   * recognised most of the event's fields (how far the event got), then a schema of the user's
   * own over a built-in one, then the deepest error path, then declared order. Every
   * candidate's error comes along, closest first.
   */
  private failure(attempts: Attempt[]): ErrorOutcome {
    const ranked = this.types.length === 1 ? attempts : [...attempts].sort((a, b) => this.closer(a, b));
    const best = ranked[0] as Attempt;
    const name = (this.types[best.type] as LogType).name;
    if (this.types.length === 1) return { ok: false, logType: name, path: best.path, message: best.message };
    return {
      ok: false,
      logType: name,
      path: best.path,
      message: `${best.message} (matches none of ${this.types.length} log types; ${name} came closest)`,
      candidates: ranked.map((a) => ({ logType: (this.types[a.type] as LogType).name, path: a.path, message: a.message })),
    };
  }

  /** Negative when `a` is closer than `b`. */
  private closer(a: Attempt, b: Attempt): number {
    if (a.reach !== b.reach) return b.reach - a.reach;
    const userA = (this.types[a.type] as LogType).builtin === true ? 0 : 1;
    const userB = (this.types[b.type] as LogType).builtin === true ? 0 : 1;
    if (userA !== userB) return userB - userA;
    if (a.depth !== b.depth) return b.depth - a.depth;
    return a.type - b.type;
  }

  /** One JSON event as type `t`; an ErrorOutcome only when the lossless re-read fails. */
  private tryJson(t: number, raw: string, obj: Record<string, unknown>): RecordOutcome | ErrorOutcome | FieldError {
    const type = this.types[t] as LogType;
    // Counted before normalizing, which may coerce the event in place.
    const unknown = this.options.unknownFields;
    let unknownHere: Map<string, number> | undefined;
    let body: Body | FieldError;
    try {
      if (unknown) countUnknownFields(obj, type.compiled.shape, (unknownHere = new Map()));
      body = this.run(type, obj, false, this.types.length === 1);
    } catch (e) {
      if (e !== NEED_LOSSLESS) throw e;
      if (!this.lossless) {
        try {
          this.lossless = parseLossless(raw) as Record<string, unknown>;
        } catch (err) {
          return { ok: false, logType: type.name, path: "", message: `invalid JSON: ${(err as Error).message}` };
        }
      }
      body = this.run(type, this.lossless, true, this.types.length === 1);
    }
    if (body instanceof FieldError) return body;
    const rec = this.record(t, body);
    if (rec instanceof FieldError) return rec;
    if (unknown && unknownHere) for (const [k, n] of unknownHere) unknown.set(k, (unknown.get(k) ?? 0) + n);
    return rec;
  }

  /** `inPlace` only with a single candidate: a failed attempt must leave the event as it was. */
  private run(type: LogType, obj: Record<string, unknown>, lossless: boolean, inPlace: boolean): Body | FieldError {
    this.state.reset(lossless);
    try {
      if (type.native) return this.runNative(type, type.native, obj, inPlace);
      return inPlace ? type.compiled.bodyInPlace(obj, this.state) : type.compiled.body(obj, this.state);
    } catch (e) {
      if (e instanceof FieldError) return e;
      if (e instanceof RangeError) return new FieldError([], `event too deeply nested (${e.message})`);
      throw e;
    }
  }

  /** `run` for a type whose record a writer makes: its fields as JSON text (see WriterFunction). */
  private write(writer: WriterFunction, obj: Record<string, unknown>, lossless: boolean): string | FieldError {
    this.state.reset(lossless);
    try {
      return writer(obj, this.state);
    } catch (e) {
      if (e instanceof FieldError) return e;
      if (e instanceof RangeError) return new FieldError([], `event too deeply nested (${e.message})`);
      throw e;
    }
  }

  /** A type with a native parser: its hooks around the normalizer (engine/native/). */
  private runNative(type: LogType, native: NativeBehaviour, obj: Record<string, unknown>, inPlace: boolean): Body | FieldError {
    if (native.unsupported !== undefined) return new FieldError([], native.unsupported);
    const input = native.prepare ? native.prepare(obj, inPlace) : obj;
    if (input instanceof FieldError) return input;
    // Before the normalizer, which may reuse the event's object for the record.
    native.scanEvent?.(input, this.state);
    const body = inPlace ? type.compiled.bodyInPlace(input, this.state) : type.compiled.body(input, this.state);
    if (native.scan && typeof body !== "string") native.scan(body, this.state);
    return body;
  }

  /** `record` for fields a writer made (see WriterFunction). */
  private recordFromText(t: number, fields: string): RecordOutcome {
    return this.withPFields(t, fields, this.state.open, this.state.hasRaw);
  }

  /**
   * Serializes the record: the schema fields through the native JSON.stringify, then the p_
   * fields appended as text (all but the indicator lists are known to need no escaping).
   * Fails only when a json value cannot be serialized.
   */
  private record(t: number, body: Body): RecordOutcome | FieldError {
    let fields: string;
    try {
      fields = typeof body === "string" ? body : JSON.stringify(body);
    } catch (e) {
      return new FieldError([], `cannot serialize the record: ${(e as Error).message}`);
    }
    // `{}` has no field to follow with a comma.
    return fields.length === 2
      ? this.withPFields(t, "", 0, this.state.hasRaw || typeof body === "string")
      : this.withPFields(t, fields.slice(0, -1), 2, this.state.hasRaw || typeof body === "string");
  }

  /**
   * The record: `head` (its opening brace and fields, or nothing), then the p_ fields; `open`
   * says what `head` leaves open (see EventState.open).
   */
  private withPFields(t: number, head: string, open: number, restore: boolean): RecordOutcome {
    const s = this.state;
    const lists = this.options.collectIndicators ? new Array<string[] | null>(P_ANY_FIELDS.length).fill(null) : null;
    let json =
      head +
      (this.typeKeys[t] as string[])[open] +
      this.options.rowIds.next() +
      '","p_event_time":"' +
      (s.eventTime ?? this.parseTime) +
      (s.hasIndicators() ? this.parseTimeAndSource + s.indicatorsJson(lists, true) : this.parseTimeSourceAndEnd);
    if (restore) json = restoreRaw(json);
    return { ok: true, logType: (this.types[t] as LogType).name, json, indicators: lists };
  }
}

type Body = Record<string, unknown> | string;

/** How a JSON value that is not an object is named in messages. */
export function kindOf(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return "a string";
  if (typeof v === "number") return "a number";
  if (typeof v === "boolean") return "a boolean";
  return typeof v;
}
