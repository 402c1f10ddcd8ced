/**
 * Runs the batches of `parse --workers N` (parse-parallel.ts): turns a batch of input bytes into
 * records (UTF-8 lines in one buffer) and failures, the way the single-threaded loop of parse.ts
 * does event by event. Framing state that runs past the end of a batch is kept until the batch
 * that continues it comes. Each worker thread has one runner (parse-worker.ts), and the main
 * thread has one for the batches it parses itself.
 */
import { buildLogType, type LogType } from "../../engine/logtype.js";
import { EventProcessor, type LineStream } from "../../engine/process.js";
import { formatInstant } from "../../engine/time/index.js";
import { JsonFramer, LineFramer, type FramedEvent } from "../../input/framing.js";
import { IndicatorTally } from "../../output/indicators.js";
import { RunStats } from "../../output/report.js";
import { ROW_ID_MARK, type BatchFailure, type BatchResult, type RunRequest, type WorkerSetup } from "./messages.js";

const NEWLINE = 10;
/**
 * Framed a slice at a time, so that parsed events die young (cheap for the garbage collector)
 * and a slice's records, joined, stay a small string (not one in V8's large-object space):
 * against 64 KiB ones, 16 KiB slices cut peak memory by 14 MiB (JSON) to 20 MiB (text logs) at
 * the same speed.
 */
const SLICE_BYTES = 16 * 1024;
const encoder = new TextEncoder();

export class BatchRunner {
  private readonly processor: EventProcessor;
  private readonly singleType: string | null;
  private readonly unknown: Map<string, number> | undefined;
  /** Set for text schemas whose lines stand alone: inputs are framed by lines. */
  private readonly lines: LineStream | undefined;
  /** Framers of batches that ended inside an event, by run id, until their next batch comes. */
  private readonly kept = new Map<number, JsonFramer | LineFramer>();
  /** What each record gets for its p_row_id (the main thread puts the id in its place). */
  private mark = ROW_ID_MARK;

  /** Compiles the log types of `setup`, as the main thread did. */
  constructor(private readonly setup: WorkerSetup) {
    const types: LogType[] = setup.types.map((t) => {
      const { logType, issues } = buildLogType(t.value, t.defaultName);
      if (!logType) throw new Error(`cannot compile ${t.defaultName} for a parallel parse: ${issues.map((i) => i.message).join("; ")}`);
      return logType;
    });
    this.unknown = setup.unknownFields ? new Map<string, number>() : undefined;
    this.processor = new EventProcessor(types, {
      // The main thread numbers records in input order and puts the ids in place of the mark.
      rowIds: { next: () => this.mark },
      sourceId: setup.sourceId,
      sourceLabel: setup.sourceLabel,
      collectIndicators: setup.indicators,
      unknownFields: this.unknown,
    });
    this.singleType = types.length === 1 ? (types[0] as LogType).name : null;
    if (this.processor.wholeStream) throw new Error("a text schema whose state runs through a whole stream cannot be parsed in batches");
    // Every parser here is stateless per line, so one stream serves all batches.
    this.lines = this.processor.lineBased ? this.processor.openStream() : undefined;
  }

  /** Frames and processes one batch. */
  run(m: RunRequest): BatchResult {
    const { setup, processor, unknown } = this;
    let framer = m.chainTo === null ? undefined : this.kept.get(m.chainTo);
    if (m.chainTo !== null) this.kept.delete(m.chainTo);
    // Chained to a batch that ended cleanly: a new framer frames the same.
    const options = { maxEventBytes: setup.maxEventBytes, firstLine: m.firstLine };
    framer ??= this.lines ? new LineFramer(options) : new JsonFramer(options);
    if (this.mark.length !== m.idWidth) this.mark = ROW_ID_MARK.repeat(m.idWidth);
    if (setup.now) {
      processor.setClock(setup.now.sec, setup.now.text);
    } else {
      const ms = Date.now();
      const sec = Math.floor(ms / 1000);
      processor.setClock(sec, formatInstant({ sec, nsec: (ms - sec * 1000) * 1e6 }));
    }

    const out = new BatchOutput(processor, this.lines, this.singleType, setup.indicators, m.spare);
    const events: FramedEvent[] = [];
    const buf = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length);
    for (let at = 0; at < buf.length; at += SLICE_BYTES) {
      framer.push(buf.subarray(at, at + SLICE_BYTES), events);
      out.add(events);
    }
    if (m.last) {
      framer.end(events);
      out.add(events);
    }
    // Ending on a newline, no character can be split across the cut.
    const clean = m.last || (buf[buf.length - 1] === NEWLINE && framer.atBoundary());
    if (!clean) this.kept.set(m.id, framer);

    const records = out.records();
    const result: BatchResult = {
      kind: "result",
      id: m.id,
      input: m.bytes,
      clean,
      records,
      idWidth: m.idWidth,
      spare: records ? null : m.spare,
      recordCount: out.stats.records,
      skipped: out.stats.skipped,
      perType: [...out.stats.perType].map(([logType, c]) => [logType, c.records]),
      failures: out.failures,
      indicators: out.tally ? out.tally.entries() : null,
      unknown: unknown ? [...unknown] : null,
    };
    unknown?.clear();
    return result;
  }

  /** Drops the framer kept for a run nobody will continue. */
  release(id: number): void {
    this.kept.delete(id);
  }
}

/** The outcomes of one batch's events, collected as parse.ts handles them one by one. */
class BatchOutput {
  readonly failures: BatchFailure[] = [];
  /** Records per log type (failures are counted by the main thread, which reports them). */
  readonly stats = new RunStats();
  readonly tally: IndicatorTally | undefined;
  /** Records encoded so far (bytes outside the JS heap, which the garbage collector skips). */
  private bytes: Uint8Array;
  private length = 0;

  constructor(
    private readonly processor: EventProcessor,
    private readonly lines: LineStream | undefined,
    private readonly singleType: string | null,
    indicators: boolean,
    spare: Uint8Array | null,
  ) {
    this.tally = indicators ? new IndicatorTally() : undefined;
    this.bytes = spare ?? new Uint8Array(0);
  }

  add(events: FramedEvent[]): void {
    const { processor, lines, singleType } = this;
    const parts: string[] = [];
    if (!lines) processor.expandFramed(events);
    for (const ev of events) {
      if (ev.error !== undefined) {
        this.failures.push({ line: ev.line, logType: singleType, path: "", message: ev.error, raw: ev.raw, truncated: ev.truncated, at: this.stats.records });
        continue;
      }
      const r = lines ? processor.processLine(ev.raw, lines) : processor.process(ev.raw, ev.value);
      if (r === null) {
        this.stats.skipped++;
        continue;
      }
      if (!r.ok) {
        this.failures.push({ line: ev.line, logType: r.logType, path: r.path, message: r.message, raw: ev.raw, at: this.stats.records });
        continue;
      }
      this.stats.count(r.logType, true);
      if (this.tally) {
        if (r.indicators) this.tally.add(r.indicators);
      } else {
        parts.push(r.json);
      }
    }
    events.length = 0;
    if (parts.length > 0) this.encode(`${parts.join("\n")}\n`);
  }

  /** The records' bytes (a view from offset 0 of a buffer of their own), or null if none. */
  records(): Uint8Array | null {
    return this.length === 0 ? null : this.bytes.subarray(0, this.length);
  }

  private encode(text: string): void {
    for (let from = 0; ; ) {
      const r = encoder.encodeInto(from === 0 ? text : text.slice(from), this.bytes.subarray(this.length));
      this.length += r.written;
      from += r.read;
      if (from >= text.length) return;
      // A UTF-16 unit never takes more than 3 bytes in UTF-8.
      const bigger = new Uint8Array(Math.max(this.length + (text.length - from) * 3, Math.floor(this.bytes.length * 1.5)));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
  }
}
