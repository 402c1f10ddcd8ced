/**
 * Reads inputs the way `parse` does (files or stdin, gzip, JSON values or lines) and explains the
 * events asked for: the first `limit`, or the one at `line`. Events not explained still go
 * through the engine when a text parser keeps state across lines (a CSV header).
 */
import type { LogType } from "../../engine/logtype.js";
import type { LineStream } from "../../engine/process.js";
import type { RowIdSource } from "../../engine/rowid.js";
import { JsonFramer, LineFramer, type FramedEvent } from "../../input/framing.js";
import { InputError, readInput } from "../../input/open.js";
import { Explainer } from "./explain.js";
import type { EventTrace } from "./trace.js";

export interface ExplainRun {
  /** Paths; "-" is stdin. */
  inputs: readonly string[];
  types: readonly LogType[];
  /** Explain the first `limit` events (all when undefined). */
  limit?: number | undefined;
  /** Explain the event of each input that starts at or spans this physical line. */
  line?: number | undefined;
  maxEventBytes: number;
  now: { sec: number; text: string };
  rowIds: RowIdSource;
  signal?: AbortSignal | undefined;
  /** Receives each trace; awaited, so a slow reader slows the reading. */
  emit(trace: EventTrace): void | Promise<void>;
  inputError(e: InputError): void;
  /** Stop early (stdout closed). */
  stopped?: () => boolean;
}

export interface ExplainSummary {
  explained: number;
  /** Explained events that became no record (errors; skipped lines are not failures). */
  failed: number;
}

export async function explainInputs(run: ExplainRun): Promise<ExplainSummary> {
  const explainer = new Explainer(run.types, { now: run.now, rowIds: run.rowIds });
  const summary: ExplainSummary = { explained: 0, failed: 0 };
  const stop = (): boolean => run.signal?.aborted === true || run.stopped?.() === true || (run.limit !== undefined && summary.explained >= run.limit);
  const events: FramedEvent[] = [];
  for (const file of run.inputs) {
    if (stop()) break;
    const label = file === "-" ? "<stdin>" : file;
    const framer = explainer.lineBased ? new LineFramer({ maxEventBytes: run.maxEventBytes }) : new JsonFramer({ maxEventBytes: run.maxEventBytes });
    const stream = explainer.lineBased ? explainer.openStream() : undefined;
    let past = false;
    const handle = async (): Promise<void> => {
      for (const ev of events) {
        if (stop() || past) break;
        if (run.line !== undefined && !spans(ev, run.line)) {
          if (ev.line > run.line) past = true;
          else explainer.pass(ev, stream);
          continue;
        }
        const trace = explainer.explain(label, ev, stream as LineStream | undefined);
        summary.explained++;
        if (trace.outcome.kind === "error") summary.failed++;
        await run.emit(trace);
        if (run.line !== undefined) past = true;
      }
      events.length = 0;
    };
    try {
      for await (const chunk of readInput(file, run.signal)) {
        framer.push(chunk, events);
        await handle();
        if (stop() || past) break;
      }
      if (!stop() && !past) {
        framer.end(events);
        await handle();
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      run.inputError(e);
    }
  }
  return summary;
}

/** The event starts at `line` or runs over it (a pretty-printed object). */
function spans(ev: FramedEvent, line: number): boolean {
  if (ev.line > line) return false;
  if (ev.line === line) return true;
  let lines = 1;
  for (let i = ev.raw.indexOf("\n"); i >= 0 && ev.line + lines <= line; i = ev.raw.indexOf("\n", i + 1)) lines++;
  return line < ev.line + lines;
}
