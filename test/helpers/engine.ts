/** In-process runs of the engine: a schema (YAML text) and events in, records or errors out. */
import { parse } from "yaml";
import { buildLogType, type LogType } from "../../src/engine/logtype.js";
import { EventProcessor, type Outcome } from "../../src/engine/process.js";
import { RowIds } from "../../src/engine/rowid.js";

export const PARSE_TIME = "2026-01-01T00:00:00Z";

export function logType(yamlText: string, name = "Custom.Test"): LogType {
  const { logType, issues } = buildLogType(parse(yamlText, { version: "1.2" }), name);
  const errors = issues.filter((i) => i.severity === "error");
  if (!logType || errors.length > 0) throw new Error(issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return logType;
}

export function processor(types: LogType[], options: { sourceId?: string } = {}): EventProcessor {
  const p = new EventProcessor(types, { rowIds: new RowIds(1, Date.parse(PARSE_TIME)), ...options });
  p.setClock(Date.parse(PARSE_TIME) / 1000, PARSE_TIME);
  return p;
}

/** The outcome of one JSON event, its record parsed back into an object. */
/** A record, or `{error}` for an event that failed. */
export type Result = Record<string, unknown>;

export function normalizeJson(types: LogType | LogType[], event: unknown): Result {
  const r = processor(Array.isArray(types) ? types : [types]).process(JSON.stringify(event), event);
  return asValue(r);
}

export function asValue(r: Outcome | null): Result {
  if (r === null) return { error: "skipped" };
  if (!r.ok) return { error: `${r.path ? `${r.path}: ` : ""}${r.message}` };
  return JSON.parse(r.json) as Record<string, unknown>;
}
