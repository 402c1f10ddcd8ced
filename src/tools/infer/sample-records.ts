/**
 * The current outcome of each sample event under a log type (for `infer --tests`): its record,
 * or its failure, as `hexlog parse` makes them (the one event pipeline).
 */
import { parseLossless } from "../../engine/lossless-json.js";
import type { LogType } from "../../engine/logtype.js";
import { EventPipeline, type EventSink } from "../../pipeline/event-loop.js";
import type { SampleOutcome } from "../schema-tests/generate.js";

export interface Sample {
  name: string;
  raw: string;
  value: unknown;
}

export function sampleOutcomes(type: LogType, samples: readonly Sample[]): SampleOutcome[] {
  const pipeline = new EventPipeline({ types: [type] });
  return samples.map((s) => {
    const base = { name: s.name, logType: type.name, input: s.raw };
    let outcome: SampleOutcome = { ...base, error: "no event in the sample" };
    const sink: EventSink = {
      record: (r) => void (outcome = { ...base, record: parseLossless(r.json) }),
      failure: (f) => void (outcome = { ...base, error: f.path ? `${f.path}: ${f.message}` : f.message }),
    };
    const input = pipeline.open(s.name);
    input.push(Buffer.from(s.raw, "utf8"), sink);
    input.end(sink);
    return outcome;
  });
}
