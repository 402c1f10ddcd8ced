/**
 * The contract every timestamp format implements. A format turns a JSON value into the
 * canonical output text: UTC RFC 3339, fraction trimmed of trailing zeros
 * ("2026-01-01T00:00:01.648Z"), nanoseconds kept.
 */

/** A value that did not parse with a format; `message` is shown to users as is. */
export class TimeFailure {
  constructor(readonly message: string) {}
}

/** Per-run context some formats need (e.g. strftime formats without a year). */
export interface TimeContext {
  /** The run's "now" as whole seconds since the Unix epoch (p_parse_time, or --now). */
  readonly nowSec: number;
}

export interface TimeFormat {
  /** The format as written in the schema: "rfc3339", "unix_ms", "%d/%b/%Y:%H:%M:%S %z", "layout=…". */
  readonly spec: string;
  /** Parse a JSON string value (never empty: the engine maps "" to null first). */
  fromString(value: string, ctx: TimeContext): string | TimeFailure;
  /**
   * Parse a JSON number, given as its exact literal text from the input ("1600000000.123456789",
   * "-1.5", "1e3"). Absent when the format does not accept numbers.
   */
  readonly fromNumber?: (literal: string, ctx: TimeContext) => string | TimeFailure;
}

/** Why a `timeFormat` value is unusable (unknown directive, bad Go layout, …). */
export class TimeFormatError {
  constructor(readonly message: string) {}
}
