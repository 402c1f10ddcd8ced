/** Exit codes (SPEC §1) and the error that ends a command with a one-line message. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** An output failed mid-run (disk full, a file or pipe gone): what was written may be incomplete. */
export const EXIT_OUTPUT = 3;
/** A bug in hexlog (never for user input). */
export const EXIT_INTERNAL = 70;
export const EXIT_INTERRUPTED = 130;

/** A usage or configuration problem: printed as one line, exit 2, never a stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** An output that failed after the run started: one line, exit 3. */
export class OutputError extends Error {}
