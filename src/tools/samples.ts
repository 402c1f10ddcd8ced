/**
 * `validate-schema --samples`: sample events run through the schemas just validated on the
 * pipeline `parse` uses, keeping counts and the first failures instead of records.
 */
import type { LogType } from "../engine/logtype.js";
import type { InputError } from "../input/open.js";
import type { SampleSummary } from "../output/findings.js";
import type { EventFailure } from "../pipeline/events.js";
import { EventPipeline } from "../pipeline/event-loop.js";
import { runInputs } from "../pipeline/run-inputs.js";

export interface SamplesResult {
  summary: SampleSummary;
  failures: EventFailure[];
  /** A sample file that could not be read to the end. */
  inputError?: InputError | undefined;
}

export async function runSamples(files: readonly string[], types: readonly LogType[], maxListed: number): Promise<SamplesResult> {
  const summary: SampleSummary = { files: [...files], events: 0, matched: 0, unmatched: 0, skipped: 0, perType: {}, listed: 0 };
  const failures: EventFailure[] = [];
  let inputError: InputError | undefined;
  await runInputs({
    inputs: files,
    pipeline: new EventPipeline({ types }),
    sink: {
      record(r) {
        summary.events++;
        summary.matched++;
        summary.perType[r.logType] = (summary.perType[r.logType] ?? 0) + 1;
      },
      failure(f) {
        summary.events++;
        summary.unmatched++;
        if (failures.length < maxListed) failures.push(f);
      },
      // A header or a skipped line of a text schema: read, but no event.
      skipped() {
        summary.events++;
        summary.skipped++;
      },
    },
    stopped: () => inputError !== undefined,
    flush: async () => undefined,
    inputFailed: (e) => (inputError = e),
  });
  summary.listed = failures.length;
  return { summary, failures, inputError };
}
