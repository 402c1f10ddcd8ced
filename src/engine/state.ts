/**
 * Mutable per-event state shared by generated normalizers: collected indicators and the chosen
 * event time. One instance is reused for every event (reset between events) to keep the hot
 * loop free of allocations.
 */
import type { CoerceState } from "./coerce.js";
import { P_ANY_FIELDS, type IndicatorSink } from "./indicators/fields.js";

export class EventState implements CoerceState, IndicatorSink {
  lossless = false;
  hasRaw = false;
  nowSec = 0;
  /** First non-null isEventTime value in schema order (canonical UTC text). */
  eventTime: string | null = null;
  readonly ind: Array<string[] | null> = P_ANY_FIELDS.map(() => null);
  private touched = 0;

  add(field: number, value: string): void {
    if (value === "") return;
    const list = this.ind[field];
    if (list === null || list === undefined) {
      this.ind[field] = [value];
      this.touched |= 1 << field;
    } else {
      list.push(value);
    }
  }

  reset(lossless: boolean): void {
    this.lossless = lossless;
    // Lossless values serialize numbers through raw markers.
    this.hasRaw = lossless;
    this.eventTime = null;
    if (this.touched !== 0) {
      for (let i = 0; i < this.ind.length; i++) this.ind[i] = null;
      this.touched = 0;
    }
  }

  hasIndicators(): boolean {
    return this.touched !== 0;
  }

  /**
   * Stores the indicator lists, deduplicated and sorted, into `record` under their p_any names.
   * Returns them by P_ANY_FIELDS index when `collect` is set (for --indicators).
   */
  storeIndicators(record: Record<string, unknown>, collect: boolean): Array<string[] | null> | null {
    const out = collect ? new Array<string[] | null>(this.ind.length).fill(null) : null;
    const touched = this.touched;
    for (let i = 0; i < this.ind.length; i++) {
      if ((touched & (1 << i)) === 0) continue;
      let list = this.ind[i] as string[];
      if (list.length > 1) list = dedupeSorted(list);
      record[P_ANY_FIELDS[i] as string] = list;
      if (out) out[i] = list;
    }
    return out;
  }
}

function dedupeSorted(list: string[]): string[] {
  list.sort();
  let w = 1;
  for (let r = 1; r < list.length; r++) {
    if (list[r] !== list[w - 1]) list[w++] = list[r] as string;
  }
  list.length = w;
  return list;
}
