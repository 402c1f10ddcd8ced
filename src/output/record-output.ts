/**
 * Where records go, by `--format`: NDJSON lines (as the engine serializes them), lake rows
 * (NDJSON the way Panther's data lake stores them), or Parquet files under a directory. One
 * interface, so the loop that produces records does not care which.
 */
import type { LogType } from "../engine/logtype.js";
import type { LakeFormatter } from "./lake.js";
import type { ParquetSinkOptions, Rejection } from "./parquet/sink.js";
import type { LineSink } from "./sink.js";

export const RECORD_FORMATS = ["ndjson", "lake", "parquet"] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export type { Rejection };

export interface RecordOutput {
  /** Takes one record (JSON text); a rejection when this output cannot hold it. */
  write(logType: string, json: string): Rejection | undefined;
  /** Writes what is due; awaited between input chunks so memory stays flat. */
  flush(): Promise<void>;
  /** Writes everything and closes (Parquet: finishes every file). */
  end(): Promise<void>;
  /** Drops what is not written yet (Parquet: removes unfinished files). */
  abort(): Promise<void>;
  /** The reader went away (a closed pipe): nothing more will be written. */
  readonly closed: boolean;
  /** Writing failed mid-run (disk full, …). */
  readonly failure: Error | undefined;
  /** What was written, for the summary ("3 files, 154000 rows under out/"); empty for streams. */
  describe(): string | undefined;
}

/**
 * The output of a format. The lake formatter and the Parquet writer are loaded only by runs
 * that use them (start-up is part of every run's cost). Throws OutputDirError for a directory
 * that cannot be written.
 */
export async function openRecordOutput(
  format: RecordFormat,
  where: { stdout: LineSink; dir?: string | undefined; types: readonly LogType[]; createdBy?: string },
): Promise<RecordOutput> {
  if (format === "ndjson") return lineOutput(where.stdout, undefined);
  if (format === "lake") return lineOutput(where.stdout, new (await import("./lake.js")).LakeFormatter(where.types));
  if (where.dir === undefined) throw new Error("--format parquet needs a directory");
  return parquetOutput({ dir: where.dir, types: where.types, createdBy: where.createdBy }, (await import("./parquet/sink.js")).ParquetSink);
}

/** NDJSON (or lake rows) on a line sink (stdout or a file). */
export function lineOutput(sink: LineSink, lake: LakeFormatter | undefined): RecordOutput {
  return {
    write(logType, json) {
      sink.writeLine(lake ? lake.format(logType, json) : json);
      return undefined;
    },
    flush: () => sink.flush(),
    end: () => sink.end(),
    abort: () => sink.flush(),
    get closed() {
      return sink.closed;
    },
    get failure() {
      return sink.failure;
    },
    describe: () => undefined,
  };
}

/** Parquet files under a directory (see parquet/sink.ts). */
function parquetOutput(options: ParquetSinkOptions, Sink: typeof import("./parquet/sink.js").ParquetSink): RecordOutput {
  const sink = new Sink(options);
  return {
    write: (logType, json) => sink.write(logType, json),
    flush: () => sink.flush(),
    end: () => sink.end(),
    abort: () => sink.abort(),
    closed: false,
    get failure() {
      return sink.failure;
    },
    describe: () => `${sink.rows.toLocaleString("en-US")} rows in ${sink.written.length} Parquet file${sink.written.length === 1 ? "" : "s"} under ${options.dir}`,
  };
}
