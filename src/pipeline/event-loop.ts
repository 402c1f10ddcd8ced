/**
 * THE loop: frame → classify/normalize → sinks. Every way events come in (parse on one thread
 * or many, serve, test, validate-schema --samples, the library's streams) runs its inputs
 * through an EventPipeline, so framer choice, the clock, row ids, failure mapping and limits
 * exist once.
 */
import { EventProcessor, type LineStream, type RecordOutcome } from "../engine/process.js";
import type { LogType } from "../engine/logtype.js";
import { RowIds, type RowIdSource } from "../engine/rowid.js";
import { JsonFramer, LineFramer, type FramedEvent, type FramedEvents } from "../input/framing.js";
import { systemClock, type Clock } from "./clock.js";
import type { EventFailure } from "./events.js";
import { DEFAULT_MAX_EVENT_BYTES } from "./limits.js";

export interface PipelineOptions {
  /** Candidate log types, in the order classification tries them (one: every event must match). */
  types: readonly LogType[];
  /** p_parse_time and "now" for time formats (default: the system clock). */
  clock?: Clock | undefined;
  /** Where p_row_id values come from (default: random node id, the clock's start time). */
  rowIds?: RowIdSource | undefined;
  sourceId?: string | undefined;
  sourceLabel?: string | undefined;
  /** Give each record's indicator lists to the sink (--indicators). */
  indicators?: boolean | undefined;
  /** Counts input paths the matched schema does not declare (--unknown-fields). */
  unknownFields?: Map<string, number> | undefined;
  /** The largest event accepted, in UTF-8 bytes. */
  maxEventBytes?: number | undefined;
}

/** Where an input's events end: each as a record or as a failure, never neither. */
export interface EventSink {
  /** `raw`: the event's text, for an output that refuses the record (it then becomes a dead letter). */
  record(r: RecordOutcome, file: string, line: number, raw: string): void;
  failure(f: EventFailure): void;
  /** A line a text parser consumed without an event (skipPrefix, a CSV header). */
  skipped?(): void;
  /**
   * Sees each framed event before the engine does (explain traces it there: with one log type
   * the engine coerces the event in place). `lines`: the input's text parser state, if line-based.
   */
  inspect?(ev: FramedEvent, file: string, lines: LineStream | undefined): void;
}

export class EventPipeline {
  readonly types: readonly LogType[];
  /** The log type every failure is charged to when there is one candidate, else null. */
  readonly singleType: string | null;
  readonly maxEventBytes: number;
  private readonly processor: EventProcessor;
  private readonly clock: Clock;

  constructor(options: PipelineOptions) {
    if (options.types.length === 0) throw new Error("a pipeline needs at least one log type");
    this.types = options.types;
    this.clock = options.clock ?? systemClock;
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.singleType = options.types.length === 1 ? (options.types[0] as LogType).name : null;
    this.processor = new EventProcessor(options.types, {
      rowIds: options.rowIds ?? new RowIds(undefined, this.clock.now().ms),
      sourceId: options.sourceId,
      sourceLabel: options.sourceLabel,
      collectIndicators: options.indicators === true,
      unknownFields: options.unknownFields,
    });
    this.tick();
  }

  /** Inputs are framed by lines when some candidate type has a text parser. */
  get lineBased(): boolean {
    return this.processor.lineBased;
  }

  /** Some text parser's state runs through a whole input (a CSV header): no part stands alone. */
  get wholeStream(): boolean {
    return this.processor.wholeStream;
  }

  /** Starts one input: a file, stdin, a request body, a test's input. */
  open(label: string, firstLine = 1): InputRun {
    return new InputRun(this, this.processor, label, firstLine);
  }

  /** Reads the clock for the events that follow. */
  tick(): void {
    const now = this.clock.now();
    this.processor.setClock(now.sec, now.text);
  }
}

/** One input being read: its framer, its text parsers' state, its line numbers. */
export class InputRun {
  private readonly framer: JsonFramer | LineFramer;
  private readonly lines: LineStream | undefined;
  private readonly events: FramedEvent[] = [];
  /** Takes each event from the framer as it is completed, to the engine and the sink. */
  private readonly direct: FramedEvents;
  /** The sink of the chunk being framed (for `direct`). */
  private sink: EventSink | undefined;

  constructor(
    private readonly pipeline: EventPipeline,
    private readonly processor: EventProcessor,
    readonly label: string,
    firstLine: number,
  ) {
    const options = { maxEventBytes: pipeline.maxEventBytes, firstLine };
    this.framer = processor.lineBased ? new LineFramer(options) : new JsonFramer(options);
    this.lines = processor.lineBased ? processor.openStream() : undefined;
    this.direct = processor.expandsEvents
      ? { push: (ev: FramedEvent) => this.handleAll(ev, this.sink as EventSink) }
      : { push: (ev: FramedEvent) => this.handle(ev, this.sink as EventSink) };
  }

  /** Frames a chunk of the input and hands every complete event to the sink. */
  push(chunk: Buffer, sink: EventSink): void {
    this.pipeline.tick();
    if (this.oneByOne(sink)) return this.framed(sink, () => this.framer.push(chunk, this.direct));
    this.framer.push(chunk, this.events);
    this.drain(sink);
  }

  /** The input ended: its last event (without a final newline) goes to the sink too. */
  end(sink: EventSink): void {
    if (this.oneByOne(sink)) return this.framed(sink, () => this.framer.end(this.direct));
    this.framer.end(this.events);
    this.drain(sink);
  }

  /**
   * Events go to the engine as the framer completes them, unless explain looks at them first.
   * Handled one by one, a chunk's parsed events are never alive all at once: each young-generation
   * collection then copies one event instead of a chunk's worth (~80), which made collections ~4
   * times as costly.
   */
  private oneByOne(sink: EventSink): boolean {
    return sink.inspect === undefined;
  }

  private framed(sink: EventSink, frame: () => void): void {
    this.sink = sink;
    try {
      frame();
    } finally {
      this.sink = undefined;
    }
  }

  /** Whether the bytes so far ended between two events (nothing held back). */
  atBoundary(): boolean {
    return this.framer.atBoundary();
  }

  private drain(sink: EventSink): void {
    const { processor, lines, label, events } = this;
    const inspect = sink.inspect;
    for (const ev of events) {
      // A JSON value may hold several events (CloudTrail's {"Records":[…]} files).
      for (const one of processor.expandOne(ev) ?? [ev]) {
        if (inspect !== undefined) inspect.call(sink, one, label, lines);
        this.handle(one, sink);
      }
    }
    events.length = 0;
  }

  /** One framed event, or each of the events it holds when it is a file of them (CloudTrail's {"Records":[…]}). */
  private handleAll(ev: FramedEvent, sink: EventSink): void {
    const many = this.processor.expandOne(ev);
    if (many === undefined) this.handle(ev, sink);
    else for (const one of many) this.handle(one, sink);
  }

  /** One framed event: a record or a failure (or a skipped line) for the sink. */
  private handle(ev: FramedEvent, sink: EventSink): void {
    const { processor, lines, label } = this;
    if (ev.error !== undefined) {
      sink.failure({ file: label, line: ev.line, logType: this.pipeline.singleType, path: "", message: ev.error, raw: ev.raw, truncated: ev.truncated });
      return;
    }
    const r = lines ? processor.processLine(ev.raw, lines) : processor.process(ev.raw, ev.value);
    if (r === null) sink.skipped?.();
    else if (r.ok) sink.record(r, label, ev.line, ev.raw);
    else sink.failure({ file: label, line: ev.line, logType: r.logType, path: r.path, message: r.message, raw: ev.raw, candidates: r.candidates });
  }
}
