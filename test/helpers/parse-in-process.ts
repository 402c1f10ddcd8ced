/**
 * `hexlog parse --schemas … -t TYPE FILE` in this process: schemas loaded as parse loads them,
 * the events normalized by the stream pipeline parse runs, with parse's fixed-clock options
 * (--now 2026-11-21T12:00:00Z --seed 7) — what it would write to stdout, its error lines and
 * schema warnings (stderr), and the exit code it would give.
 */
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { expect } from "vitest";
import { fixedClock, loadLogTypes, normalizeStream, RowIds, type Clock } from "../../src/index.js";
import { errorLine } from "../../src/output/report.js";

const CLOCK = fixedClock("2026-11-21T12:00:00Z") as Clock;

export interface ParseInProcessOptions {
  schemas: string[];
  type: string;
  /** A file to read; else `input`, read as stdin (`<stdin>`). */
  file?: string;
  input?: string;
}

export async function parseInProcess(o: ParseInProcessOptions): Promise<{ recs: Array<Record<string, unknown>>; stdout: string; stderr: string; code: number }> {
  const loaded = await loadLogTypes({ schemas: o.schemas });
  expect(loaded.problems).toEqual([]);
  const logType = loaded.types.find((t) => t.name === o.type);
  if (!logType) throw new Error(`no log type ${o.type}`);
  const bytes = o.file !== undefined ? readFileSync(o.file) : Buffer.from(o.input ?? "");
  let stdout = "";
  const stderr = loaded.warnings.map((w) => `${w}\n`);
  let failed = false;
  const options = { types: [logType], clock: CLOCK, rowIds: new RowIds(7, CLOCK.now().ms), label: o.file ?? "<stdin>" };
  for await (const out of normalizeStream(Readable.from([bytes]), options)) {
    if (out.ok) stdout += `${out.json}\n`;
    else {
      failed = true;
      stderr.push(`${errorLine(out)}\n`);
    }
  }
  const recs = stdout === "" ? [] : stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  return { recs, stdout, stderr: stderr.join(""), code: failed ? 1 : 0 };
}
