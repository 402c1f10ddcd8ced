/** `hexlog help <topic>`: short pages about what no single command's help says. */

export const HELP_TOPICS: Record<string, { summary: string; text: string }> = {
  "exit-codes": {
    summary: "what each exit status means",
    text: `Exit codes (the same for every command)

  0    success
  1    findings: events that failed to parse, invalid schemas, failed tests
  2    usage or configuration error: a bad flag, an unreadable schema or sources file,
       an unknown log type, an output that cannot be opened or that is an input (all checked
       before input is read)
  3    an output failed mid-run (disk full, an output file gone); what was written is whole lines
  70   internal error: a bug in hexlog, never caused by input
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP): whole lines are flushed first
`,
  },
  environment: {
    summary: "environment variables and how they rank against flags",
    text: `Environment variables

  HEXLOG_TYPE           default for -t/--type: log type names, comma-separated
  HEXLOG_SCHEMAS        default for -s/--schemas: schema paths separated by ":" (";" on Windows)
  HEXLOG_SOURCES        default for --sources: the log sources file
  HEXLOG_SECRET_HEADER  serve --secret-header (name:value)
  HEXLOG_BEARER         serve --bearer (token)
  NO_COLOR              no colours; FORCE_COLOR=1 forces them; --no-color wins over both
  HEXLOG_DEBUG          print the stack of an internal error

A flag given on the command line wins over its variable; the variable wins over the default.
`,
  },
  sizes: {
    summary: "how size flags read (--max-event-bytes, --max-body)",
    text: `Sizes

Size flags take a byte count or a number with a unit:
  512k, 512K, 512KiB   512 × 1024 bytes (k, M, G and KiB, MiB, GiB are powers of 1024)
  1MB, 1kB, 1GB        powers of 1000
  10MiB, 1.5M          fractions are rounded down to whole bytes
`,
  },
  classification: {
    summary: "how an event is matched to a log type without -t",
    text: `Classification

With several log types (-t A,B, a --source, or none given: every loaded type), each event goes
to the first type, in declared order, that parses it without error.

An event no type accepts is reported against the type that came closest: the one declaring the
most of the event's fields; on a tie, a schema of your own over a built-in one, then the deepest
error, then declared order. With --pretty or on a terminal, each candidate's first error is
listed under the error line; the dead letter (--errors) always carries them ("candidates").
`,
  },
  terminal: {
    summary: "how text from logs is shown on a terminal",
    text: `Text from input on a terminal

Values, keys, file names and YAML quoted in messages can hold control characters (an escape
sequence can retitle or clear a terminal) and bidi overrides (text that reads backwards).
Everything hexlog writes for people shows them as \\u escapes instead: ESC is \\u001b, NUL is
\\u0000, U+202E is \\u202e. Records on stdout are JSON, which escapes control characters itself;
the text in them is exactly what the input held.
`,
  },
};
