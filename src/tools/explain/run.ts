/**
 * Explain on the one pipeline: inputs are read, framed and normalized exactly as `parse` does
 * (runInputs + EventPipeline); an ExplainSink traces the events asked for just before the
 * engine sees them, and completes each trace with the engine's outcome.
 */
import type { LogType } from "../../engine/logtype.js";
import type { LineStream, RecordOutcome } from "../../engine/process.js";
import type { RowIdSource } from "../../engine/rowid.js";
import type { FramedEvent } from "../../input/framing.js";
import type { InputError } from "../../input/open.js";
import { systemClock, type Clock, type ClockReading } from "../../pipeline/clock.js";
import { EventPipeline, type EventSink } from "../../pipeline/event-loop.js";
import type { EventFailure } from "../../pipeline/events.js";
import { runInputs } from "../../pipeline/run-inputs.js";
import { Explainer } from "./explain.js";
import type { CandidateTrace, EventTrace, RealOutcome } from "./trace.js";

export interface ExplainRun {
  /** Paths; "-" is stdin. */
  inputs: readonly string[];
  types: readonly LogType[];
  /** Explain the first `limit` events (all when undefined). */
  limit?: number | undefined;
  /** Explain the event of each input that starts at or spans this physical line. */
  line?: number | undefined;
  maxEventBytes?: number | undefined;
  clock?: Clock | undefined;
  rowIds?: RowIdSource | undefined;
  signal?: AbortSignal | undefined;
  /** Receives each trace, after the chunk it came in; awaited, so a slow reader slows the reading. */
  emit(trace: EventTrace): void | Promise<void>;
  inputError(e: InputError): void;
  /** Stop early (stdout closed, Ctrl-C). */
  stopped?: () => boolean;
}

export interface ExplainSummary {
  explained: number;
  /** Explained events that became no record (errors; skipped lines are not failures). */
  failed: number;
}

/** Picks the events to trace, holds each trace until the engine's outcome arrives. */
export class ExplainSink implements EventSink {
  readonly traces: EventTrace[] = [];
  explained = 0;
  failed = 0;
  private pending: { framing: EventTrace["framing"]; candidates: CandidateTrace[] } | undefined;

  constructor(
    private readonly explainer: Explainer,
    private readonly wanted: (file: string, ev: FramedEvent) => boolean,
  ) {}

  inspect(ev: FramedEvent, file: string, lines: LineStream | undefined): void {
    if (!this.wanted(file, ev)) return;
    this.pending = { framing: this.explainer.framing(file, ev, lines !== undefined), candidates: this.explainer.candidates(ev, lines) };
  }

  record(r: RecordOutcome): void {
    this.finish({ kind: "record", logType: r.logType, record: r.json });
  }

  failure(f: EventFailure): void {
    this.finish({ kind: "error", logType: f.logType, path: f.path, message: f.message });
  }

  skipped(): void {
    this.finish({ kind: "skipped" });
  }

  private finish(outcome: RealOutcome): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.explained++;
    if (outcome.kind === "error") this.failed++;
    this.traces.push(this.explainer.complete(p.framing, p.candidates, outcome));
  }
}

export async function explainInputs(run: ExplainRun): Promise<ExplainSummary> {
  // The walk reads the clock the engine read for the same chunk.
  const inner = run.clock ?? systemClock;
  let last: ClockReading = inner.now();
  const clock: Clock = { now: () => (last = inner.now()) };
  const pipeline = new EventPipeline({ types: run.types, clock, rowIds: run.rowIds, maxEventBytes: run.maxEventBytes });
  const explainer = new Explainer(run.types, () => last);
  const { limit, line } = run;
  /** Inputs whose event at `line` has been explained. */
  const found = new Set<string>();
  const sink: ExplainSink = new ExplainSink(explainer, (file: string, ev: FramedEvent): boolean => {
    if (limit !== undefined) return sink.explained < limit;
    if (line === undefined) return true;
    if (found.has(file) || !spans(ev, line)) return false;
    found.add(file);
    return true;
  });
  const done = (): boolean => (limit !== undefined && sink.explained >= limit) || (line !== undefined && run.inputs.length === 1 && found.size === 1);
  await runInputs({
    inputs: run.inputs,
    pipeline,
    sink,
    signal: run.signal,
    stopped: () => run.stopped?.() === true || done(),
    flush: async () => {
      for (const t of sink.traces) await run.emit(t);
      sink.traces.length = 0;
    },
    inputFailed: run.inputError,
  });
  return { explained: sink.explained, failed: sink.failed };
}

export interface ExplainTextOptions {
  clock?: Clock | undefined;
  rowIds?: RowIdSource | undefined;
  maxEventBytes?: number | undefined;
}

/**
 * The trace of every event in a text (NDJSON, concatenated or pretty JSON, an array, or lines
 * for text log types), in order: the library's form of `hexlog explain`.
 */
export function explainText(types: readonly LogType[], text: string, options: ExplainTextOptions = {}): EventTrace[] {
  const inner = options.clock ?? systemClock;
  let last: ClockReading = inner.now();
  const pipeline = new EventPipeline({ types, clock: { now: () => (last = inner.now()) }, rowIds: options.rowIds, maxEventBytes: options.maxEventBytes });
  const sink = new ExplainSink(new Explainer(types, () => last), () => true);
  const input = pipeline.open("<text>");
  input.push(Buffer.from(text, "utf8"), sink);
  input.end(sink);
  return sink.traces;
}

/** The event starts at `line` or runs over it (a pretty-printed object). */
function spans(ev: FramedEvent, line: number): boolean {
  if (ev.line > line) return false;
  if (ev.line === line) return true;
  let lines = 1;
  for (let i = ev.raw.indexOf("\n"); i >= 0 && ev.line + lines <= line; i = ev.raw.indexOf("\n", i + 1)) lines++;
  return line < ev.line + lines;
}
