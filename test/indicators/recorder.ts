import { P_ANY_FIELDS, type IndicatorScanner, type IndicatorSink } from "../../src/engine/indicators/fields.js";

export type Found = [field: string, value: string];

/** A sink that records what a scanner adds, as [p_any field name, value] pairs in call order. */
export class RecordingSink implements IndicatorSink {
  readonly found: Found[] = [];
  add(field: number, value: string): void {
    const name = P_ANY_FIELDS[field];
    if (name === undefined) throw new Error(`scanner used unknown field index ${field}`);
    this.found.push([name, value]);
  }
}

/** Runs `scanner` on `value` and returns what it found. */
export function scan(scanner: IndicatorScanner, value: string): Found[] {
  const sink = new RecordingSink();
  scanner.scan(value, sink);
  return sink.found;
}
