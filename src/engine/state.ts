/**
 * Mutable per-event state shared by generated normalizers: collected indicators and the chosen
 * event time. One instance is reused for every event (reset between events) to keep the hot
 * loop free of allocations.
 */
import type { CoerceState } from "./coerce.js";
import { P_ANY_FIELDS, type IndicatorSink } from "./indicators/fields.js";
import { mayHoldInexactNumber } from "./number-literals.js";

export class EventState implements CoerceState, IndicatorSink {
  lossless = false;
  hasRaw = false;
  /**
   * What the record writer's text (WriterFunction) leaves for the p_ fields to add before their
   * first key: 0 the opening brace (no field written), 1 a string's closing quote and a comma,
   * 2 a comma.
   */
  open = 0;
  /** The event's JSON text (null: values that are not JSON text, such as a text parser's). */
  private numbersText: string | null = null;
  /** Whether numbersText may hold a literal the fast path changes: 0 not asked yet, 1 no, 2 yes. */
  private inexact = 1;
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

  /** Sets the event's text, before the normalizers run (once per event, whichever types are tried). */
  setText(text: string | null): void {
    this.numbersText = text;
    this.inexact = text === null ? 1 : 0;
  }

  /**
   * Asked only when a json value holds a number: the scan of the whole text is skipped for the
   * many events whose json values hold none.
   */
  get inexactNumbers(): boolean {
    if (this.inexact === 0) this.inexact = mayHoldInexactNumber(this.numbersText as string) ? 2 : 1;
    return this.inexact === 2;
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
   * The p_any fields as JSON members (`,"p_any_emails":["a@example.com"]`), lists deduplicated
   * and sorted, in P_ANY_FIELDS order, and the record's closing brace after them when
   * `closeRecord`. When `lists` is given, it receives them by index.
   */
  indicatorsJson(lists: Array<string[] | null> | null, closeRecord = false): string {
    let out = "";
    const touched = this.touched;
    for (let i = 0; i < this.ind.length; i++) {
      if ((touched & (1 << i)) === 0) continue;
      let list = this.ind[i] as string[];
      if (list.length > 1) list = dedupeSorted(list);
      const last = closeRecord && touched >>> (i + 1) === 0;
      const one = list.length === 1 ? (list[0] as string) : undefined;
      // The usual list, one value that needs no escaping, in few pieces: fewer strings to join.
      if (one !== undefined && !NEEDS_ESCAPE.test(one)) out = out + (ANY_OPEN[i] as string) + one + (last ? '"]}' : '"]');
      else out = out + (ANY_KEYS[i] as string) + stringList(list) + (last ? "}" : "");
      if (lists) lists[i] = list;
    }
    return out;
  }
}

const ANY_KEYS = P_ANY_FIELDS.map((f) => `,"${f}":`);
const ANY_OPEN = P_ANY_FIELDS.map((f) => `,"${f}":["`);

/** Lists up to this long are sorted by insertion: 3–5 times faster than Array.prototype.sort on the short lists events give. */
const INSERTION_SORT_MAX = 16;

function dedupeSorted(list: string[]): string[] {
  // Two values (a host field read as both ip and hostname) need no call to sort.
  if (list.length === 2) {
    const [a, b] = list as [string, string];
    if (a === b) list.length = 1;
    else if (a > b) [list[0], list[1]] = [b, a];
    return list;
  }
  const n = list.length;
  if (n > INSERTION_SORT_MAX) list.sort();
  else {
    // `<` on strings orders by UTF-16 code units, as sort() without a comparator does.
    for (let i = 1; i < n; i++) {
      const v = list[i] as string;
      let j = i - 1;
      for (; j >= 0 && (list[j] as string) > v; j--) list[j + 1] = list[j] as string;
      list[j + 1] = v;
    }
  }
  let w = 1;
  for (let r = 1; r < n; r++) {
    if (list[r] !== list[w - 1]) list[w++] = list[r] as string;
  }
  if (w < n) list.length = w;
  return list;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON of a list of strings. Indicator values rarely need escaping, so the whole list is tested
 * once; JSON.stringify is slow on many tiny inputs.
 */
function stringList(list: readonly string[]): string {
  if (list.length === 1) {
    const v = list[0] as string;
    return NEEDS_ESCAPE.test(v) ? `[${JSON.stringify(v)}]` : `["${v}"]`;
  }
  return NEEDS_ESCAPE.test(list.join("")) ? JSON.stringify(list) : `["${list.join('","')}"]`;
}
