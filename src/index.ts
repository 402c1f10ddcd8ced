/**
 * hexlog as a library: load and compile log types (problems as values), normalize events one at
 * a time or as streams, and mount the webhook receiver on a Node HTTP server. Importing this
 * module runs nothing.
 *
 * ```ts
 * import { loadLogTypes, Normalizer } from "hexlog";
 * const { types } = await loadLogTypes();
 * const normalizer = new Normalizer({ types: types.filter((t) => t.name === "Hex.Audit") });
 * const outcome = normalizer.normalize(event);
 * if (outcome.ok) console.log(outcome.record.p_event_time, outcome.indicators.p_any_emails);
 * ```
 */
import { compileLogType as compileCatalog, loadLogTypes as loadCatalog, type SchemaProblem } from "./catalog/load-types.js";
import type { LogType } from "./engine/logtype.js";
// Embedders compile schemas with any parser without awaiting prepareFor (engine/optional.ts).
import "./engine/all-modules.js";

export type { LogType } from "./engine/logtype.js";
export type { LogSchema, FieldSchema, FieldType } from "./language/types.js";
export type { SchemaProblem } from "./catalog/load-types.js";
export type { RowIdSource } from "./engine/rowid.js";
export { RowIds } from "./engine/rowid.js";
export { P_ANY_FIELDS, type PAnyField } from "./engine/indicators/fields.js";
export { systemClock, fixedClock, isClock, type Clock, type ClockReading } from "./pipeline/clock.js";
export { DEFAULT_MAX_EVENT_BYTES } from "./pipeline/limits.js";
export type { PipelineOptions } from "./pipeline/event-loop.js";
export type { EventFailure } from "./pipeline/events.js";
export { Normalizer, type NormalizerOptions, type NormalizeOutcome, type NormalizedRecord, type NormalizeFailure } from "./pipeline/normalizer.js";
export { normalizeStream, createNormalizeTransform, type StreamOptions, type StreamOutcome, type EventPlace } from "./pipeline/stream.js";
export { createWebhookHandler, type WebhookHandler, type WebhookOptions, type LineOutput, type BodySummary } from "./server/webhook.js";
export { bearerAuth, secretHeaderAuth, type WebhookAuth } from "./server/auth.js";
export { deadLetter } from "./output/report.js";
export { ParquetSink, OutputDirError, type ParquetSinkOptions, type Rejection } from "./output/parquet/sink.js";
export { LakeFormatter } from "./output/lake.js";
export { explainText, type ExplainTextOptions } from "./tools/explain/run.js";
export { renderJson as explainTraceJson, renderText as explainTraceText } from "./tools/explain/render.js";
export type { EventTrace, CandidateTrace, FieldTrace, ParserTrace, TransformationTrace, FramingTrace, EventTimeTrace, RealOutcome } from "./tools/explain/trace.js";
export { enableRegexBacktrackingGuard } from "./engine/parsers/regex/linear.js";
// The schema author's toolkit: breaking changes, test coverage, extending a schema from samples.
export { diffSchemaTexts } from "./tools/diff/versions.js";
export { schemaCoverage, type CoverageCase, type SchemaCoverage } from "./tools/coverage.js";
export { extendSchema, type ExtendOutcome, type ExtendChange } from "./tools/infer/extend.js";
export type { Finding } from "./tools/validate.js";

export interface LoadOptions {
  /** Schema files or directories (`.yml`/`.yaml`, recursive) loaded after the built-ins. */
  schemas?: readonly string[];
}

export interface LoadResult {
  /** Every log type that loaded: the built-ins first, then the user's in load order. */
  types: LogType[];
  /** Schemas that did not load, each at file:line:col with a rule id. */
  problems: SchemaProblem[];
  /** Notes and warnings (a built-in replaced, a schema warning), as text. */
  warnings: string[];
}

/** Loads the built-in log types and any schema files; problems come back as values, never thrown. */
export async function loadLogTypes(options: LoadOptions = {}): Promise<LoadResult> {
  const loaded = await loadCatalog(options.schemas ?? []);
  return { types: loaded.types.map((t) => t.logType), problems: loaded.problems, warnings: loaded.warnings };
}

/** Compiles one schema from its YAML text: the log type, or the problems that stop it. */
export async function compileLogType(yamlText: string, options: { file?: string } = {}): Promise<{ logType?: LogType; problems: SchemaProblem[]; warnings: SchemaProblem[] }> {
  return compileCatalog(yamlText, options.file);
}
