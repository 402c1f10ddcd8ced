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
  /** Called after each chunk (progress display). */
  progress?: (() => void) | undefined;
}

/** How an input is named in errors and dead letters. */
export function inputLabel(path: string): string {
  return path === "-" ? "<stdin>" : path;
}

export async function runInputs(o: InputsOptions): Promise<void> {
  for (const file of o.inputs) {
    if (o.stopped()) break;
    const run = o.pipeline.open(inputLabel(file));
    try {
      for await (const chunk of readInput(file, o.signal)) {
        run.push(chunk, o.sink);
        o.progress?.();
        await o.flush();
        if (o.stopped()) break;
      }
      // Stopped early (Ctrl-C, closed output): the input did not end, so its tail is no event.
      if (!o.stopped()) run.end(o.sink);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      o.inputFailed(e);
    }
    await o.flush();
  }
}
