/**
 * One message body → one outcome per event, the way `parse` frames and normalizes a file
 * (JSON values, or lines when a candidate type is a text schema). Kept in one place so the
 * consumer can move onto the shared pipeline without touching its loop.
 */
import type { EventProcessor } from "../engine/process.js";
import { JsonFramer, LineFramer, type FramedEvent } from "../input/framing.js";

export type EventOutcome =
  | { ok: true; index: number; line: number; logType: string; json: string; raw: string }
  | { ok: false; index: number; line: number; logType: string | null; path: string; message: string; raw: string; truncated?: boolean | undefined };

export interface BodyOptions {
  maxEventBytes: number;
  /** The log type named on framing errors: the only candidate, if there is one. */
  singleType: string | null;
  /** Called before event `index` is normalized (row ids are fixed by position). */
  beforeEvent(index: number): void;
}

/** Frames and normalizes a whole body; lines a text parser consumes without an event (a CSV header) give nothing. */
export function normalizeBody(processor: EventProcessor, body: Buffer, opts: BodyOptions): EventOutcome[] {
  const events: FramedEvent[] = [];
  const lineBased = processor.lineBased;
  const framer = lineBased ? new LineFramer({ maxEventBytes: opts.maxEventBytes }) : new JsonFramer({ maxEventBytes: opts.maxEventBytes });
  framer.push(body, events);
  framer.end(events);
  const lines = lineBased ? processor.openStream() : undefined;
  const out: EventOutcome[] = [];
  events.forEach((ev, index) => {
    if (ev.error !== undefined) {
      out.push({ ok: false, index, line: ev.line, logType: opts.singleType, path: "", message: ev.error, raw: ev.raw, truncated: ev.truncated });
      return;
    }
    opts.beforeEvent(index);
    const r = lines ? processor.processLine(ev.raw, lines) : processor.process(ev.raw, ev.value);
    if (r === null) return;
    if (r.ok) out.push({ ok: true, index, line: ev.line, logType: r.logType, json: r.json, raw: ev.raw });
    else out.push({ ok: false, index, line: ev.line, logType: r.logType, path: r.path, message: r.message, raw: ev.raw });
  });
  return out;
}
