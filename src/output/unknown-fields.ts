/**
 * The --unknown-fields report: input paths the schema does not declare, with how many events
 * held each. Only events that became records are counted (a failed event has no schema to
 * compare with), and the report says how many were left out.
 */
import { escapeText } from "./escape.js";
import { plural } from "./report.js";

export interface UnknownFieldsCounts {
  /** Path → events holding it. */
  fields: ReadonlyMap<string, number>;
  /** Events compared with their schema (records). */
  counted: number;
  /** Events that failed, not compared. */
  failed: number;
}

function rows(counts: UnknownFieldsCounts): Array<[string, number]> {
  return [...counts.fields].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Text for people (stderr). */
export function unknownFieldsText(counts: UnknownFieldsCounts): string {
  const scope = `in ${plural(counts.counted, "parsed event")}${counts.failed > 0 ? `; ${plural(counts.failed, "failed event")} not counted` : ""}`;
  if (counts.fields.size === 0) {
    return counts.counted === 0 ? `unknown fields: none counted (no event was parsed${counts.failed > 0 ? `; ${plural(counts.failed, "failed event")} not counted` : ""})` : `unknown fields: none ${scope} (every input field of those is declared in the schema)`;
  }
  const list = rows(counts).map(([p, n]) => [escapeText(p), n] as const);
  const width = Math.max(...list.map(([p]) => p.length));
  return `unknown fields ${scope} (in the input, not in the schema; dropped from records):\n${list.map(([p, n]) => `  ${p.padEnd(width)}  ${n}`).join("\n")}`;
}

/** One JSON document for programs (`--unknown-fields=json`): `{"counted","failed","fields":[{"path","count"}]}`. */
export function unknownFieldsJson(counts: UnknownFieldsCounts): string {
  return JSON.stringify({ counted: counts.counted, failed: counts.failed, fields: rows(counts).map(([path, count]) => ({ path, count })) });
}
