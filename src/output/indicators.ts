/** --indicators: the distinct indicator values of a run, with how many records carry each. */
import { P_ANY_FIELDS } from "../engine/indicators/fields.js";
import { escapeText } from "./escape.js";

/** Short kind names shown to users, one per P_ANY_FIELDS entry (same order). */
export const INDICATOR_KINDS = [
  "ip",
  "domain",
  "md5",
  "sha1",
  "sha256",
  "trace_id",
  "aws_account_id",
  "aws_instance_id",
  "aws_arn",
  "aws_tag",
  "email",
  "username",
  "actor_id",
  "mac",
  "serial_number",
] as const;

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
  rows(): Array<{ kind: string; value: string; count: number }> {
    const out: Array<{ kind: string; value: string; count: number }> = [];
    this.counts.forEach((m, i) => {
      const entries = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [value, count] of entries) out.push({ kind: INDICATOR_KINDS[i] as string, value, count });
    });
    return out;
  }
}

export function indicatorsNdjson(rows: ReturnType<IndicatorTally["rows"]>): string {
  return rows.map((r) => JSON.stringify(r)).join("\n");
}

export function indicatorsTable(rows: ReturnType<IndicatorTally["rows"]>): string {
  if (rows.length === 0) return "no indicators found";
  const kw = Math.max(4, ...rows.map((r) => r.kind.length));
  const cw = Math.max(5, ...rows.map((r) => String(r.count).length));
  const lines = [`${"KIND".padEnd(kw)}  ${"COUNT".padStart(cw)}  VALUE`];
  for (const r of rows) lines.push(`${r.kind.padEnd(kw)}  ${String(r.count).padStart(cw)}  ${escapeText(r.value)}`);
  return lines.join("\n");
}
