/**
 * Runs the batches of `parse --workers N` (parse-parallel.ts): turns a batch of input bytes into
 * records (UTF-8 lines in one buffer) and failures, the way the single-threaded loop of parse.ts
 * does event by event. Framing state that runs past the end of a batch is kept until the batch
 * that continues it comes. Each worker thread has one runner (parse-worker.ts), and the main
 * thread has one for the batches it parses itself.
 */
import { buildLogType, type LogType } from "../../engine/logtype.js";
// A worker compiles the main thread's log types, whatever their parsers.
import "../../engine/all-modules.js";
import type { RecordOutcome } from "../../engine/process.js";
import { systemClock, type Clock } from "../clock.js";
import { EventPipeline, type EventSink, type InputRun } from "../event-loop.js";
import type { EventFailure } from "../events.js";
import { IndicatorTally } from "../indicator-tally.js";
import { RunStats } from "../stats.js";
import { FailurePacker } from "./failure-pack.js";
import { ROW_ID_MARK, type BatchResult, type RunRequest, type WorkerSetup } from "./messages.js";

const NEWLINE = 10;
/**
 * Framed a slice at a time, so that parsed events die young (cheap for the garbage collector):
 * against 64 KiB ones, 16 KiB slices cut peak memory by 14 MiB (JSON) to 20 MiB (text logs) at
 * the same speed (measured when a slice's records were joined into one string).
 */
const SLICE_BYTES = 16 * 1024;

export class BatchRunner {
  private readonly pipeline: EventPipeline;
  private readonly unknown: Map<string, number> | undefined;
  /** Inputs of batches that ended inside an event, by run id, until their next batch comes. */
  private readonly kept = new Map<number, InputRun>();
  /** What each record gets for its p_row_id (the main thread puts the id in its place). */
  private mark = ROW_ID_MARK;

  /** Compiles the log types of `setup`, as the main thread did. */
  constructor(private readonly setup: WorkerSetup) {
    const types: LogType[] = setup.types.map((t) => {
      const { logType, issues } = buildLogType(t.value, t.defaultName, t.builtin === true);
      if (!logType) throw new Error(`cannot compile ${t.defaultName} for a parallel parse: ${issues.map((i) => i.message).join("; ")}`);
      return logType;
    });
    this.unknown = setup.unknownFields ? new Map<string, number>() : undefined;
    const now = setup.now;
    const clock: Clock = now ? { now: () => now } : systemClock;
    this.pipeline = new EventPipeline({
      types,
      clock,
      // The main thread numbers records in input order and puts the ids in place of the mark.
      rowIds: { next: () => this.mark },
      sourceId: setup.sourceId,
      sourceLabel: setup.sourceLabel,
      indicators: setup.indicators,
      unknownFields: this.unknown,
      maxEventBytes: setup.maxEventBytes,
    });
    if (this.pipeline.wholeStream) throw new Error("a text schema whose state runs through a whole stream cannot be parsed in batches");
  }

  /** Frames and processes one batch. */
  run(m: RunRequest): BatchResult {
    const { unknown } = this;
    let input = m.chainTo === null ? undefined : this.kept.get(m.chainTo);
    if (m.chainTo !== null) this.kept.delete(m.chainTo);
    // Chained to a batch that ended cleanly: a new input frames the same. Text parsers here are
    // stateless per line (the pool refuses those that are not), so nothing else carries over.
    input ??= this.pipeline.open("", m.firstLine);
    if (this.mark.length !== m.idWidth) this.mark = ROW_ID_MARK.repeat(m.idWidth);

    const out = new BatchOutput(this.setup.indicators, m.spare);
    const buf = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length);
    for (let at = 0; at < buf.length; at += SLICE_BYTES) input.push(buf.subarray(at, at + SLICE_BYTES), out);
    if (m.last) input.end(out);
    // Ending on a newline, no character can be split across the cut.
    const clean = m.last || (buf[buf.length - 1] === NEWLINE && input.atBoundary());
    if (!clean) this.kept.set(m.id, input);

    const records = out.records();
    const result: BatchResult = {
      kind: "result",
      id: m.id,
      input: m.bytes,
      clean,
      records,
      idWidth: m.idWidth,
      // Handed back unless the records are in it (too small for them: they grew into another).
      spare: records !== null && m.spare !== null && records.buffer === m.spare.buffer ? null : m.spare,
      recordCount: out.stats.records,
      skipped: out.stats.skipped,
      perType: [...out.stats.perType].map(([logType, c]) => [logType, c.records]),
      failures: out.failures.take(),
      indicators: out.tally ? out.tally.entries() : null,
      unknown: unknown ? [...unknown] : null,
    };
    unknown?.clear();
    return result;
  }

  /** Drops the input kept for a run nobody will continue. */
  release(id: number): void {
    this.kept.delete(id);
  }
}

/** The outcomes of one batch's events: records encoded into one buffer, failures listed. */
class BatchOutput implements EventSink {
  readonly failures = new FailurePacker();
  /** Records per log type (failures are counted by the main thread, which reports them). */
  readonly stats = new RunStats();
  readonly tally: IndicatorTally | undefined;
  /**
   * Records encoded so far, each as it comes (bytes outside the JS heap, which the garbage
   * collector skips): no joined string, no string kept past its event.
   */
  private bytes: Buffer;
  private length = 0;

  constructor(indicators: boolean, spare: Uint8Array | null) {
    this.tally = indicators ? new IndicatorTally() : undefined;
    this.bytes = spare ? Buffer.from(spare.buffer, spare.byteOffset, spare.length) : Buffer.alloc(0);
  }

  record(r: RecordOutcome): void {
    this.stats.count(r.logType, true);
    if (this.tally) {
      if (r.indicators) this.tally.add(r.indicators);
    } else {
      this.append(r.json);
    }
  }

  failure(f: EventFailure): void {
    // The file is named by the main thread, which knows which input the batch came from.
    this.failures.add(f, this.stats.records);
  }

  skipped(): void {
    this.stats.skipped++;
  }

  /** The records' bytes (a view from offset 0 of a buffer of their own), or null if none. */
  records(): Uint8Array | null {
    return this.length === 0 ? null : new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.length);
  }

  /** Encodes one record and its newline after the others. */
  private append(json: string): void {
    // A UTF-16 unit never takes more than 3 bytes in UTF-8; only when that might not fit is the
    // exact length counted.
    const room = this.bytes.length - this.length;
    if (json.length * 3 + 1 > room) {
      const need = Buffer.byteLength(json) + 1;
      if (need > room) this.grow(need);
    }
    const bytes = this.bytes;
    let length = this.length + bytes.write(json, this.length);
    bytes[length++] = NEWLINE;
    this.length = length;
  }

  private grow(need: number): void {
    // Not zero-filled (only the bytes written are ever read).
    const size = Math.max(this.length + need, Math.floor(this.bytes.length * 1.5), 64 * 1024);
    const bigger = Buffer.allocUnsafeSlow(size);
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }
}
