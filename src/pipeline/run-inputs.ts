/**
 * The single-threaded reading loop over files and stdin: each input read in chunks, framed and
 * normalized by the pipeline, the outputs awaited between chunks so memory stays flat however
 * large the input. (`parallel/` is the same work on several threads.)
 */
import { InputError, readInput } from "../input/open.js";
import type { EventPipeline, EventSink } from "./event-loop.js";

export interface InputsOptions {
  /** Paths; `-` is stdin. */
  inputs: readonly string[];
  pipeline: EventPipeline;
  sink: EventSink;
  /** Aborts reading (Ctrl-C); what was read is still normalized. */
  signal?: AbortSignal | undefined;
  /** Whether to stop reading (interrupted, or the output went away). */
  stopped: () => boolean;
  /** Awaited after each chunk: back-pressure from the outputs. */
  flush: () => Promise<void>;
  /** An input that could not be read to the end (the run goes on with the next). */
  inputFailed: (e: InputError) => void;
  /** Called after each chunk with its size in bytes (progress display). */
  progress?: ((bytes: number) => void) | undefined;
}

/** How an input is named in errors and dead letters. */
export function inputLabel(path: string): string {
  return path === "-" ? "<stdin>" : path;
}

/**
 * While failures dominate, bytes of input framed between two flushes of the outputs: a failed
 * event's error and dead-letter lines are ~70 times its bytes when events are tiny (`{}`), and
 * lines waiting unwritten survive V8's scavenges, growing its young generation. Records are not
 * sliced: four times the flushes make four times the writes, 6–7 % more CPU.
 */
const FAILING_PUSH_BYTES = 16 * 1024;
/** Failures in one chunk past which the next chunks are sliced. */
const FAILURES_TO_SLICE = 1024;

export async function runInputs(o: InputsOptions): Promise<void> {
  let failed = 0;
  const sink = countingFailures(o.sink, () => failed++);
  let sliceBytes = Infinity;
  for (const file of o.inputs) {
    if (o.stopped()) break;
    const run = o.pipeline.open(inputLabel(file));
    try {
      // The framer decodes each chunk before the next read, so one buffer serves them all.
      reading: for await (const chunk of readInput(file, o.signal, { reuse: true })) {
        const before = failed;
        for (let at = 0; at < chunk.length; at += sliceBytes) {
          run.push(at === 0 && chunk.length <= sliceBytes ? chunk : chunk.subarray(at, at + sliceBytes), sink);
          await o.flush();
          if (o.stopped()) break reading;
        }
        sliceBytes = failed - before > FAILURES_TO_SLICE ? FAILING_PUSH_BYTES : Infinity;
        o.progress?.(chunk.length);
      }
      // Stopped early (Ctrl-C, closed output): the input did not end, so its tail is no event.
      if (!o.stopped()) run.end(sink);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // The input ended there: what was decoded before the failure, an event cut short
      // included, becomes records or dead letters before the error is reported.
      run.end(sink);
      o.inputFailed(e);
    }
    await o.flush();
  }
}

/** The same sink, counting its failures. */
function countingFailures(sink: EventSink, count: () => void): EventSink {
  return {
    record: sink.record.bind(sink),
    failure: (f) => {
      count();
      sink.failure(f);
    },
    ...(sink.skipped ? { skipped: sink.skipped.bind(sink) } : {}),
    ...(sink.inspect ? { inspect: sink.inspect.bind(sink) } : {}),
  };
}
