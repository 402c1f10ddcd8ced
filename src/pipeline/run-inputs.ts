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

/** Bytes of input framed between two flushes of the outputs. */
const PUSH_BYTES = 16 * 1024;

export async function runInputs(o: InputsOptions): Promise<void> {
  for (const file of o.inputs) {
    if (o.stopped()) break;
    const run = o.pipeline.open(inputLabel(file));
    try {
      reading: for await (const chunk of readInput(file, o.signal)) {
        // A slice at a time, each flushed: a failed event's error and dead-letter lines are ~70
        // times its bytes when events are tiny (`{}`), so a whole chunk's would sit unwritten.
        for (let at = 0; at < chunk.length; at += PUSH_BYTES) {
          run.push(chunk.length <= PUSH_BYTES ? chunk : chunk.subarray(at, at + PUSH_BYTES), o.sink);
          await o.flush();
          if (o.stopped()) break reading;
        }
        o.progress?.(chunk.length);
      }
      // Stopped early (Ctrl-C, closed output): the input did not end, so its tail is no event.
      if (!o.stopped()) run.end(o.sink);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // The input ended there: what was decoded before the failure, an event cut short
      // included, becomes records or dead letters before the error is reported.
      run.end(o.sink);
      o.inputFailed(e);
    }
    await o.flush();
  }
}
