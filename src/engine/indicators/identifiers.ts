/**
 * Free-form identifiers: any non-empty value, trimmed (trace_id, username, actor_id,
 * serial_number). They sit on the hot path, so they do nothing beyond trim + length check.
 */
import {
  ACTOR_ID,
  SERIAL_NUMBER,
  TRACE_ID,
  USERNAME,
  type IndicatorScanner,
  type IndicatorSink,
} from "./fields.js";

function trimmedAnything(name: string, field: number): IndicatorScanner {
  return {
    name,
    fields: [field],
    scan(value: string, sink: IndicatorSink): void {
      const v = value.trim();
      if (v.length > 0) sink.add(field, v);
    },
  };
}

export const traceId = trimmedAnything("trace_id", TRACE_ID);
export const username = trimmedAnything("username", USERNAME);
export const actorId = trimmedAnything("actor_id", ACTOR_ID);
export const serialNumber = trimmedAnything("serial_number", SERIAL_NUMBER);
