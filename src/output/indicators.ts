/** --indicators: the distinct indicator values of a run as NDJSON or a table. */
import type { IndicatorRow } from "../pipeline/indicator-tally.js";

export function indicatorsNdjson(rows: readonly IndicatorRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n");
}

export function indicatorsTable(rows: readonly IndicatorRow[]): string {
  if (rows.length === 0) return "no indicators found";
  const kw = Math.max(4, ...rows.map((r) => r.kind.length));
  const cw = Math.max(5, ...rows.map((r) => String(r.count).length));
  const lines = [`${"KIND".padEnd(kw)}  ${"COUNT".padStart(cw)}  VALUE`];
  for (const r of rows) lines.push(`${r.kind.padEnd(kw)}  ${String(r.count).padStart(cw)}  ${r.value}`);
  return lines.join("\n");
}
