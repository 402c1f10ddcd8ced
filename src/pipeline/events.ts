/** What the pipeline tells its sinks about each event. */

/** An event that ended as an error: where it was, which log type, why, and its raw text. */
export interface EventFailure {
  file: string;
  line: number;
  logType: string | null;
  path: string;
  message: string;
  raw: string;
  truncated?: boolean | undefined;
}

