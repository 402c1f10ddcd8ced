/** `hexlog sources`: log sources as a table for people or NDJSON for programs. */
import type { LogSource } from "../catalog/sources.js";
import type { Palette } from "./color.js";
import { escapeText } from "./escape.js";

/** One NDJSON line per source; absent facts are null so every line has the same keys. */
export function sourceJson(s: LogSource): string {
  return JSON.stringify({ label: s.label, id: s.id, type: s.type, logTypes: s.logTypes, healthy: s.healthy, lastEventReceivedAt: s.lastEventReceivedAt });
}

const HEADERS = ["LABEL", "ID", "TYPE", "LOG TYPES", "HEALTH", "LAST EVENT RECEIVED"];

export function sourcesTable(sources: readonly LogSource[], c: Palette): string {
  if (sources.length === 0) return "no sources in the file";
  const rows = sources.map((s) => [s.label, s.id, s.type ?? "-", s.logTypes.join(", ") || "-", health(s.healthy), s.lastEventReceivedAt ?? "never"].map(escapeText));
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[], paint?: (text: string, col: number) => string): string =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number);
        return paint ? paint(padded, i) : padded;
      })
      .join("  ");
  const paintHealth = (text: string, col: number): string => {
    if (col !== 4) return text;
    if (text.startsWith("healthy")) return c.green(text);
    if (text.startsWith("unhealthy")) return c.red(text);
    return text;
  };
  return [line(HEADERS), ...rows.map((r) => line(r, paintHealth))].join("\n");
}

function health(h: boolean | null): string {
  if (h === null) return "-";
  return h ? "healthy" : "unhealthy";
}
