/**
 * Streams of events for programs: bytes in (NDJSON, JSON arrays, pretty JSON, lines for text
 * log types; gzip is the caller's to undo), one outcome per event out, in order, each with the
 * line where its event starts. An async iterable, and a Node Transform with back-pressure.
 */
import { Transform, type TransformCallback } from "node:stream";
import { EventPipeline, type EventSink, type InputRun, type PipelineOptions } from "./event-loop.js";
import { toNormalizedRecord, toNormalizeFailure, type NormalizedRecord, type NormalizeFailure } from "./normalizer.js";

export interface StreamOptions extends PipelineOptions {
  /** How the input is named in outcomes (default `<stream>`). */
  label?: string | undefined;
}

/** Where an event was: the input's label and the physical line it starts on (1-based). */
export interface EventPlace {
  file: string;
  line: number;
}

export type StreamOutcome = (NormalizedRecord & EventPlace) | (NormalizeFailure & EventPlace & { raw: string; truncated?: boolean | undefined });

/** A sink that keeps outcomes until they are taken. */
function collector(out: StreamOutcome[]): EventSink {
  return {
    record: (r, file, line) => void out.push(Object.assign(toNormalizedRecord(r), { file, line })),
    failure: (f) => void out.push({ ...toNormalizeFailure(f), file: f.file, line: f.line, raw: f.raw, truncated: f.truncated }),
  };
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Normalizes a byte stream, yielding each event's outcome as soon as its event is complete. */
export async function* normalizeStream(source: AsyncIterable<Uint8Array | string>, options: StreamOptions): AsyncGenerator<StreamOutcome, void, undefined> {
  const input = new EventPipeline(options).open(options.label ?? "<stream>");
  const out: StreamOutcome[] = [];
  const sink = collector(out);
  for await (const chunk of source) {
    input.push(toBuffer(chunk), sink);
    yield* out.splice(0);
  }
  input.end(sink);
  yield* out.splice(0);
}

/** A Transform: bytes written in, StreamOutcome objects read out (paused readers slow writers). */
export function createNormalizeTransform(options: StreamOptions): Transform {
  let input: InputRun | undefined;
  const out: StreamOutcome[] = [];
  const sink = collector(out);
  const pipeline = new EventPipeline(options);
  const open = (): InputRun => (input ??= pipeline.open(options.label ?? "<stream>"));
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
      open().push(toBuffer(chunk), sink);
      for (const o of out.splice(0)) this.push(o);
      done();
    },
    flush(done: TransformCallback): void {
      open().end(sink);
      for (const o of out.splice(0)) this.push(o);
      done();
    },
  });
}
