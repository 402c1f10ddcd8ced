/** How `hexlog test --coverage` tells what the tests leave uncovered: text for people, a JSON value for machines. */
import type { Palette } from "./color.js";
import { escapeForTerminal } from "./terminal-text.js";

/** What of one schema its tests exercise (computed by tools/coverage.ts). */
export interface SchemaCoverage {
  logType: string;
  tests: number;
  covered: number;
  total: number;
  /** covered / total × 100, one decimal; 100 for a schema with nothing to cover. */
  percent: number;
  missing: {
    /** Field paths never present in a record: `customer.email`, `items[].sku`. */
    fields: string[];
    indicators: Array<{ field: string; kind: string }>;
    timeFormats: Array<{ field: string; format: string }>;
    transformations: Array<{ field: string; kind: string }>;
    eventTime: string[];
  };
}

/**
 * ```
 * coverage: Custom.Shop 61.1% (11 of 18, 2 tests)
 *   fields never present: coupon, shipping_host, card
 *   time formats never matched: placed_at (%d/%m/%Y %H:%M)
 * ```
 * `min`: the --min-coverage threshold; schemas below it are marked.
 */
export function coverageLines(reports: readonly SchemaCoverage[], c: Palette, min?: number): string[] {
  const out: string[] = [];
  for (const r of reports) {
    const below = min !== undefined && r.percent < min;
    const pct = `${r.percent}%`;
    const head = `coverage: ${escapeForTerminal(r.logType)} ${below ? c.red(pct) : r.percent === 100 ? c.green(pct) : c.yellow(pct)} (${r.covered} of ${r.total}, ${r.tests} test${r.tests === 1 ? "" : "s"})`;
    out.push(below ? `${head} ${c.red(`below --min-coverage ${min}`)}` : head);
    const m = r.missing;
    const list = (label: string, items: string[]): void => {
      if (items.length > 0) out.push(`  ${label}: ${escapeForTerminal(items.join(", "))}`);
    };
    list("fields never present", m.fields);
    list("indicators never extracted", m.indicators.map((i) => `${i.field} (${i.kind})`));
    list("time formats never matched", m.timeFormats.map((t) => `${t.field} (${t.format})`));
    list("transformations never applied", m.transformations.map((t) => `${t.field} (${t.kind})`));
    list("isEventTime never exercised", m.eventTime);
  }
  return out;
}

/** Whether every schema reaches the threshold. */
export function meetsMinimum(reports: readonly SchemaCoverage[], min: number | undefined): boolean {
  return min === undefined || reports.every((r) => r.percent >= min);
}
