/**
 * Explains events: classification among the candidate log types in the engine's order (the
 * first that reads the event wins), each candidate's text parser captures and field walk; the
 * real engine's outcome for the same event completes the trace (and is tested against it).
 */
import { FieldError } from "../../engine/errors.js";
import { parseLossless } from "../../engine/lossless-json.js";
import type { LogType } from "../../engine/logtype.js";
import type { LineCapture } from "../../engine/parsers/index.js";
import { kindOf, NOT_JSON, readJsonLine, UNREAD, type LineStream } from "../../engine/process.js";
import { countUnknownFields } from "../../engine/unknown-fields.js";
import type { FramedEvent } from "../../input/framing.js";
import type { CandidateTrace, EventTrace, ParserTrace, RealOutcome } from "./trace.js";
import { LosslessNeeded, walkEvent, type WalkResult } from "./walk.js";

/** As in the engine: long digit runs may be integers beyond 2^53 inside json fields. */
const LONG_DIGITS = /[0-9]{16}/;

/** The clock reading the engine normalizes the event with (p_parse_time, "now" for time formats). */
export type ReadClock = () => { sec: number; text: string };

/**
 * Builds the classification and field walks of events; the pipeline runs the same events
 * through the engine right after (see run.ts), and its outcome completes each trace.
 */
export class Explainer {
  constructor(
    private readonly types: readonly LogType[],
    private readonly clock: ReadClock,
  ) {}

  /** Each candidate's trace for one framed event; `lines` for line-based inputs. Call before the engine sees the event. */
  candidates(ev: FramedEvent, lines: LineStream | undefined): CandidateTrace[] {
    if (ev.error !== undefined) return [];
    return lines ? this.lineCandidates(ev.raw, lines) : this.jsonCandidates(ev.raw, ev.value);
  }

  /** The trace's framing part. */
  framing(file: string, ev: FramedEvent, lineBased: boolean): EventTrace["framing"] {
    const framing: EventTrace["framing"] = { file, line: ev.line, bytes: Buffer.byteLength(ev.raw, "utf8"), framer: lineBased ? "lines" : "json" };
    if (ev.error !== undefined) framing.error = ev.error;
    return framing;
  }

  /** The whole trace once the engine's outcome is known: the winner, and the candidate it blamed. */
  complete(framing: EventTrace["framing"], candidates: CandidateTrace[], outcome: RealOutcome): EventTrace {
    if (outcome.kind === "error" && this.types.length > 1) {
      const closest = candidates.find((c) => c.logType === outcome.logType && c.outcome === "failed");
      if (closest) closest.closest = true;
    }
    const winner = candidates.find((c) => c.outcome === "matched")?.logType ?? null;
    return { framing, candidates, winner, outcome };
  }

  private jsonCandidates(raw: string, value: unknown): CandidateTrace[] {
    if (value === null) value = {};
    if (typeof value !== "object" || Array.isArray(value)) {
      const message = `expected a JSON object, got ${kindOf(value)}`;
      return this.types.map((t) => ({ logType: t.name, outcome: "failed", error: { path: "", message }, fields: [], dropped: [] }));
    }
    const obj = value as Record<string, unknown>;
    const readLossless = losslessReader(raw);
    const out: CandidateTrace[] = [];
    let matched = false;
    for (const type of this.types) {
      if (matched) {
        out.push(notTried(type));
        continue;
      }
      const c: CandidateTrace = { logType: type.name, outcome: "failed", fields: [], dropped: dropped(obj, type) };
      const upfront = type.compiled.hasJson && LONG_DIGITS.test(raw) ? "the schema has json fields and the event a run of 16 or more digits (an integer beyond 2^53 would be rounded)" : undefined;
      this.walk(type, c, obj, upfront, readLossless);
      matched = c.outcome === "matched";
      out.push(c);
    }
    return out;
  }

  /** One candidate's walk, re-reading the event losslessly when the engine would. */
  private walk(type: LogType, c: CandidateTrace, obj: Record<string, unknown>, upfront: string | undefined, readLossless: () => Record<string, unknown> | FieldError): void {
    const now = this.clock();
    const clock = { nowSec: now.sec, parseTime: now.text };
    let r: WalkResult | undefined;
    c.lossless = upfront;
    if (upfront === undefined) {
      try {
        r = walkEvent(type.schema, obj, { lossless: false, ...clock });
      } catch (e) {
        if (!(e instanceof LosslessNeeded)) throw e;
        c.lossless = `${e.path || "a field"} needs a number's literal text (read again keeping every number as written)`;
      }
    }
    if (!r) {
      const value = readLossless();
      if (value instanceof FieldError) {
        c.error = { path: "", message: value.message };
        return;
      }
      r = walkEvent(type.schema, value, { lossless: true, ...clock });
    }
    take(c, r);
  }

  private lineCandidates(line: string, stream: LineStream): CandidateTrace[] {
    const out: CandidateTrace[] = [];
    let json: unknown = UNREAD;
    let done = false;
    this.types.forEach((type, t) => {
      if (done) {
        out.push(notTried(type));
        return;
      }
      const parser = stream.parsers[t];
      const c: CandidateTrace = { logType: type.name, outcome: "failed", fields: [], dropped: [] };
      out.push(c);
      if (parser) {
        const cap = parser.capture(line);
        c.parser = parserTrace(type.text?.kind ?? "regex", cap);
        if (cap.kind === "skip") {
          c.outcome = "skipped";
          c.error = { path: "", message: `line skipped: ${cap.reason}` };
          done = true;
          return;
        }
        if (cap.kind === "fail") {
          c.error = { path: "", message: cap.message };
          return;
        }
        c.dropped = dropped(cap.fields, type);
        // Text fields are strings: the lossless pass only changes the mode, as in the engine.
        this.walk(type, c, cap.fields, undefined, () => cap.fields);
        done = c.outcome === "matched";
        return;
      }
      c.parser = { kind: "json" };
      if (json === UNREAD) json = readJsonLine(line);
      if (json === NOT_JSON) {
        c.error = { path: "", message: "the line is not a JSON object" };
        return;
      }
      if (json instanceof FieldError) {
        c.error = { path: "", message: json.message };
        return;
      }
      const obj = json as Record<string, unknown>;
      c.dropped = dropped(obj, type);
      const readLossless = losslessReader(line);
      const upfront = type.compiled.hasJson && LONG_DIGITS.test(line) ? "the schema has json fields and the line a run of 16 or more digits" : undefined;
      this.walk(type, c, obj, upfront, readLossless);
      done = c.outcome === "matched";
    });
    return out;
  }
}

/** Reads the event's text keeping every number's literal, once, when a walk first needs it (as the engine does). */
function losslessReader(text: string): () => Record<string, unknown> | FieldError {
  let value: Record<string, unknown> | FieldError | undefined;
  return () => {
    if (value === undefined) {
      try {
        value = parseLossless(text) as Record<string, unknown>;
      } catch (e) {
        value = new FieldError([], `invalid JSON: ${(e as Error).message}`);
      }
    }
    return value;
  };
}

function take(c: CandidateTrace, r: WalkResult): void {
  c.fields = r.fields;
  if (r.error) {
    c.outcome = "failed";
    c.error = r.error;
    return;
  }
  c.outcome = "matched";
  if (r.record !== undefined) c.record = r.record;
  if (r.eventTime) c.eventTime = r.eventTime;
  if (r.indicators) c.indicators = r.indicators;
}

function notTried(type: LogType): CandidateTrace {
  return { logType: type.name, outcome: "not-tried", fields: [], dropped: [] };
}

function dropped(value: unknown, type: LogType): string[] {
  const counts = new Map<string, number>();
  countUnknownFields(value, type.compiled.shape, counts);
  return [...counts.keys()];
}

function parserTrace(kind: "fastmatch" | "regex" | "csv" | "native", cap: LineCapture): ParserTrace {
  const p: ParserTrace = { kind };
  if (cap.kind === "skip") return p;
  if (cap.attempts) p.attempts = cap.attempts;
  if (cap.kind === "fail") return p;
  if (cap.pattern !== undefined) p.pattern = cap.pattern;
  p.captures = cap.captures.map((x) => ({ name: x.name, value: x.value ?? null, ...(x.name !== null && !Object.hasOwn(cap.fields, x.name) ? { kept: false } : {}) }));
  if (cap.expanded.length > 0) p.expanded = cap.expanded.map((name) => ({ name, value: Object.hasOwn(cap.fields, name) ? (cap.fields[name] as string) : null }));
  return p;
}

