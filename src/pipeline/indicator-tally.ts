/** --indicators: the distinct indicator values of a run, with how many records carry each. */
import { INDICATOR_KINDS, P_ANY_FIELDS } from "../engine/indicators/fields.js";

export interface IndicatorRow {
  kind: string;
  value: string;
  count: number;
}

export class IndicatorTally {
  private readonly counts: Array<Map<string, number>> = P_ANY_FIELDS.map(() => new Map());

  add(lists: ReadonlyArray<readonly string[] | null>): void {
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i];
      if (!list) continue;
      const m = this.counts[i] as Map<string, number>;
      for (const v of list) m.set(v, (m.get(v) ?? 0) + 1);
    }
  }

  /** The counts so far, per P_ANY_FIELDS index (to send to another thread). */
  entries(): Array<Array<[string, number]>> {
    return this.counts.map((m) => [...m]);
  }

  /** Adds counts taken with `entries()` from another tally. */
  merge(entries: ReadonlyArray<ReadonlyArray<readonly [string, number]>>): void {
    entries.forEach((list, i) => {
      const m = this.counts[i] as Map<string, number>;
      for (const [v, n] of list) m.set(v, (m.get(v) ?? 0) + n);
    });
  }

  /** Rows by kind (in p_any order), then most frequent first, then value. */
  rows(): IndicatorRow[] {
    const out: IndicatorRow[] = [];
    this.counts.forEach((m, i) => {
      const entries = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [value, count] of entries) out.push({ kind: INDICATOR_KINDS[i] as string, value, count });
    });
    return out;
  }
}

