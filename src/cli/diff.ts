/**
 * `hexlog diff OLD NEW`: breaking changes between two versions of schemas (files or directories).
 * Exit 0 compatible, 1 breaking changes (or a side has invalid schemas), 2 usage.
 */
import { loadJsonSchemaCheck } from "../language/json-schema.js";
import { paletteFor } from "../output/color.js";
import { diffReport, diffReportLines, diffSummaryLine } from "../output/diff-report.js";
import type { ReportFormat } from "../output/findings.js";
import { LineSink } from "../output/sink.js";
import { diffSchemaSets, readSchemaSet, VersionError } from "../tools/diff/versions.js";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "./errors.js";

export interface DiffOptions {
  format?: ReportFormat;
  quiet?: boolean;
}

export async function runDiff(oldPath: string, newPath: string, opts: DiffOptions): Promise<number> {
  const jsonSchema = await loadJsonSchemaCheck();
  let old, next;
  try {
    [old, next] = [await readSchemaSet([oldPath], jsonSchema), await readSchemaSet([newPath], jsonSchema)];
  } catch (e) {
    if (e instanceof VersionError) throw new UsageError(e.message);
    throw e;
  }
  if (old.versions.length + old.invalid.length === 0) throw new UsageError(`no schema files (.yml, .yaml) in ${oldPath}`);
  if (next.versions.length + next.invalid.length === 0) throw new UsageError(`no schema files (.yml, .yaml) in ${newPath}`);
  // An invalid schema on either side cannot be compared: its own findings say why.
  const findings = [...old.invalid, ...next.invalid, ...diffSchemaSets(old.versions, next.versions, next.invalidNames)];
  const report = diffReport(findings, old.versions.length, next.versions.length);
  const format = opts.format ?? "text";
  const stdout = new LineSink(process.stdout);
  const stderr = new LineSink(process.stderr);
  for (const line of diffReportLines(report, format, await paletteFor(process.stdout))) stdout.writeLine(line);
  if (format === "text" && !opts.quiet) stderr.writeLine(diffSummaryLine(report, await paletteFor(process.stderr)));
  await Promise.all([stdout.flush(), stderr.flush()]);
  return report.compatible ? EXIT_OK : EXIT_FINDINGS;
}
