/**
 * The current outcome of each sample event under a log type (for `infer --tests`): its record,
 * or its failure, as `hexlog parse` would make them.
 */
import { parseLossless } from "../../engine/lossless-json.js";
import type { LogType } from "../../engine/logtype.js";
import { EventProcessor } from "../../engine/process.js";
import { RowIds } from "../../engine/rowid.js";
import type { SampleOutcome } from "../schema-tests/generate.js";

export interface Sample {
  name: string;
  raw: string;
  value: unknown;
}

export function sampleOutcomes(type: LogType, samples: readonly Sample[], nowMs = Date.now()): SampleOutcome[] {
  const processor = new EventProcessor([type], { rowIds: new RowIds(0, nowMs) });
  processor.setClock(Math.floor(nowMs / 1000), new Date(nowMs).toISOString());
  return samples.map((s) => {
    const r = processor.process(s.raw, s.value);
    const base = { name: s.name, logType: type.name, input: s.raw };
    return r.ok ? { ...base, record: parseLossless(r.json) } : { ...base, error: r.path ? `${r.path}: ${r.message}` : r.message };
  });
}
