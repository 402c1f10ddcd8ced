/**
 * Mutable per-event state shared by generated normalizers: collected indicators and the chosen
 * event time. One instance is reused for every event (reset between events) to keep the hot
 * loop free of allocations.
 */
import type { CoerceState } from "./coerce.js";
import { P_ANY_FIELDS, type IndicatorSink } from "./indicators/fields.js";

export class EventState implements CoerceState, IndicatorSink {
  lossless = false;
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
    this.eventTime = null;
    if (this.touched !== 0) {
      for (let i = 0; i < this.ind.length; i++) this.ind[i] = null;
      this.touched = 0;
    }
  }

  hasIndicators(): boolean {
    return this.touched !== 0;
  }

  /** The indicator lists, deduplicated and sorted, in P_ANY_FIELDS order (null where empty). */
  takeIndicators(): Array<string[] | null> {
    const out: Array<string[] | null> = new Array<string[] | null>(this.ind.length).fill(null);
    for (let i = 0; i < this.ind.length; i++) {
      const list = this.ind[i];
      if (list) out[i] = list.length === 1 ? list : dedupeSorted(list);
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
