/**
 * The hexlog command line: global options, subcommands, exit codes. Command modules are
 * imported only when their command runs, so `hexlog --version` starts fast.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { delimiter } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { enableRegexBacktrackingGuard } from "../engine/parsers/regex/linear.js";
import { MAX_EVENT_BYTES_LIMIT } from "../input/text.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../pipeline/limits.js";
import { EXIT_INTERNAL, EXIT_OUTPUT, EXIT_USAGE, OutputError, UsageError } from "./errors.js";
import { parseByteSize, showByteSize } from "./byte-size.js";
import { escapeLines, escapeText } from "../output/escape.js";
import type { ConsumeCommandOptions } from "./consume.js";
import type { ServeOptions } from "./serve.js";
import { mapGoStyleFlags, type LongOptions } from "./pantherlog.js";
// Static (in the start-up chunk): a small input given --workers pays no extra chunk to learn it is small.
import { LATE_START_BYTES, MAX_WORKERS, whenThreads, workersForParse } from "./thread-start.js";
import { stopParseWorkers, type StartedWorker } from "../pipeline/parallel/start-workers.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new UsageError(`${name} must be an integer${max === Number.MAX_SAFE_INTEGER ? ` ≥ ${min}` : ` from ${min} to ${max}`}, got "${value}"`);
    }
    return Number(value);
  };
}

/** `--max-event-bytes`: a size, capped where an event could no longer be held as text. */
function maxEventBytes(value: string): number {
  const n = parseByteSize("--max-event-bytes", value);
  if (n > MAX_EVENT_BYTES_LIMIT) {
    throw new UsageError(`--max-event-bytes must be at most ${MAX_EVENT_BYTES_LIMIT} (256 MiB, the largest event hexlog can hold), got "${value}"`);
  }
  return n;
}

/** `--max-event-bytes`, the same on every command that reads events. */
function maxEventBytesOption(): Option {
  return new Option("--max-event-bytes <size>", "largest event accepted (bytes, or with a unit: 512k, 10MiB, 1MB)").argParser(maxEventBytes).default(DEFAULT_MAX_EVENT_BYTES, showByteSize(DEFAULT_MAX_EVENT_BYTES));
}

/** `--workers`: a count, or `auto` for one per core (each worker is a thread with its own heap, hence a bound). */
function workerCount(value: string): number {
  if (value === "auto") return availableParallelism();
  return integer("--workers", 1, MAX_WORKERS)(value);
}

/** What the process's start handed the command line (boot.cjs). */
export interface StartContext {
  /** Worker threads started before the command line loaded, for a large `parse --workers N` (thread-start.ts). */
  earlyWorkers?: StartedWorker[] | undefined;
}

export function buildProgram(only?: string, context: StartContext = {}): Command {
  const wanted = (name: string): boolean => only === undefined || only === name;
  const program = new Command("hexlog")
    .description("Normalize security logs with Panther-compatible YAML log schemas.")
    .version(pkg.version, "-V, --version", "print the version")
    .option("--no-color", "disable colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)")
    .option("--no-cache", "neither read nor write the caches of checked schema files and compiled code (HEXLOG_CACHE_DIR, else ~/.cache/hexlog)")
    .option("-q, --quiet", "print only data and errors: no summary, progress, notes or warnings")
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      "after",
      examples([
        "cat audit.ndjson | hexlog parse --type Hex.Audit",
        "hexlog parse samples/ --pretty",
        "hexlog validate-schema schemas/",
        "hexlog test schemas/",
        "hexlog list-types",
        "hexlog infer samples.ndjson > schema.yml",
      ]) +
        "\nExit codes: 0 ok, 1 events failed / findings, 2 usage or configuration error, 3 output failed, 70 internal error, 130 interrupted.\n" +
        "More: hexlog help <topic> — exit-codes, environment, sizes, classification, terminal.\n",
    );

  if (wanted("parse"))
    program
      .command("parse")
      .description("Parse events (JSON, or text lines for fastmatch/regex/csv schemas) into normalized records on stdout")
      .argument("[files...]", "input files (plain or gzip); none or - reads stdin")
      .addOption(typeOption())
      .addOption(schemasOption("extra schema files or directories (.yml/.yaml); pantherlog's log type names are taken as -t"))
      .option("--path <path>", "pantherlog's form of --schemas: a schema file or directory (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
      .option("--source-id <id>", "stamp p_source_id on every record")
      .option("--source-label <label>", "stamp p_source_label on every record")
      .addOption(sourcesFileOption())
      .option("--source <label|id>", "read as this log source: classify among its log types, stamp its id and label")
      .option("--debug", "print the run summary on stderr even when it is not a terminal (pantherlog's -debug)")
      .option("-o, --output <file>", "write records to this file instead of stdout")
      .option("--errors <file>", "write every failed event to this dead-letter file (NDJSON); - is stdout, with -o")
      .addOption(new Option("--max-errors <n>", "print at most n error lines (dead letters still get every failed event)").argParser(integer("--max-errors", 0)))
      .option("--fail-fast", "stop at the first event that fails (exit 1)")
      .option("--pretty", "indented, coloured records; errors shown inline")
      .option("--indicators", "print the distinct indicators found instead of records")
      .option("--unknown-fields", "report input fields that the schema does not declare (--unknown-fields=json for programs)")
      .addOption(new Option("--unknown-fields-json").hideHelp())
      .addOption(new Option("--stats <format>", "the run summary for programs on stderr: json").choices(["json"]))
      .option("--stats-file <file>", "write the run summary as JSON to this file")
      .option("--explain", "instead of records, show how each event is classified and normalized (as hexlog explain)")
      .option("--now <rfc3339>", "fixed p_parse_time (for reproducible output)")
      .addOption(new Option("--seed <n>", "deterministic p_row_id values").argParser(integer("--seed", 0)))
      .addOption(
        maxEventBytesOption(),
      )
      .addOption(new Option("--workers <n>", "parse on n threads, the main one included (auto = one per core); same output as 1").argParser(workerCount).default(1))
      .addOption(
        new Option("--format <format>", "records as NDJSON, as Panther's data lake stores rows (lake), or Parquet files (with --out)")
          .choices(["ndjson", "lake", "parquet"])
          .default("ndjson"),
      )
      .option("--out <dir>", "directory of --format parquet: <dir>/<LogType>/dt=YYYY-MM-DD/*.parquet")
      .addHelpText(
        "after",
        examples([
          "hexlog parse --type Hex.Audit testdata/hex/audit.ndjson",
          "hexlog parse -t Hex.Audit --format parquet --out lake/ audit.ndjson   # then: duckdb -c \"select count(*) from 'lake/Hex.Audit/**/*.parquet'\"",
          "gunzip -c audit.json.gz | hexlog parse -t Hex.Audit --errors failed.ndjson",
          "hexlog parse logs.ndjson --schemas schemas/ --type Custom.MyApp",
          "hexlog parse access.log --schemas schemas/ -t Custom.ApacheCommon   # a text schema: one event per line",
          "hexlog parse sample.json --pretty",
          "hexlog parse sample.json --explain                 # why each event became a record, or did not",
          "hexlog parse --indicators auth0.ndjson",
          "hexlog parse -t Hex.Audit --now 2026-01-01T00:00:00Z --seed 1 sample.ndjson   # golden output",
          "hexlog parse -t Hex.Audit logs/ -o records.ndjson --errors - > dead.ndjson   # a directory's files; dead letters on stdout",
          "hexlog parse -t Hex.Audit big.ndjson --max-errors 20 --stats json",
          "hexlog parse --sources sources.json --source 'Hex audit logs' body.json",
          "zcat big.ndjson.gz | hexlog parse -t Hex.Audit --workers auto > records.ndjson",
          "pantherlog-style: hexlog parse --path schema.yml --schemas Custom.MyApp sample.jsonl",
        ]) + "\nGo-style single-dash flags work too (-path, -schemas, -source-id, -source-label, -debug).\n",
      )
      .action(async (files: string[], opts: Record<string, unknown>, cmd: Command) => {
        if (opts.explain) {
          // One event at a time, on this thread: workers boot.cjs started are of no use.
          if (context.earlyWorkers) void stopParseWorkers(context.earlyWorkers);
          const { runParseExplain } = await import("./explain.js");
          process.exitCode = await runParseExplain(files, { ...cmd.optsWithGlobals(), ...opts });
          return;
        }
        if (opts.unknownFieldsJson) opts.unknownFields = true;
        opts.sourcesGiven = cmd.getOptionValueSource("sources") === "cli";
        // Worker threads boot while the rest of parse loads, or were started by boot.cjs (thread-start.ts).
        let workers = typeof opts.workers === "number" ? opts.workers : 1;
        const when = workers > 1 ? whenThreads(files) : "never";
        if (when === "never") workers = 1;
        const startedWorkers = workersForParse(context.earlyWorkers, when, workers, typeof opts.maxEventBytes === "number" ? opts.maxEventBytes : DEFAULT_MAX_EVENT_BYTES);
        const startWorkersAfterBytes = when === "later" ? LATE_START_BYTES : undefined;
        const { runParse } = await import("./parse.js");
        process.exitCode = await runParse(files, { ...cmd.optsWithGlobals(), ...fromEnv(cmd, opts), workers, startedWorkers, startWorkersAfterBytes });
      });

  if (wanted("explain"))
    program
      .command("explain")
      .description("Show step by step how events are framed, classified and normalized, field by field")
      .argument("[files...]", "input files (plain or gzip); none or - reads stdin")
      .option("-t, --type <types...>", "log type(s) to explain against; several or none = classification among them")
      .option("-s, --schemas <paths...>", "extra schema files or directories (.yml/.yaml)")
      .addOption(new Option("-n, --limit <n>", "explain the first n events (default: all)").argParser(integer("-n", 1)))
      .addOption(new Option("--line <n>", "explain the event that starts at (or spans) this line of each input").argParser(integer("--line", 1)))
      .addOption(new Option("--format <format>", "text for people, json (one object per event) for programs").choices(["text", "json"]).default("text"))
      .option("--now <rfc3339>", "fixed p_parse_time (for reproducible output)")
      .addOption(
        new Option("--max-event-bytes <n>", "largest event accepted, in bytes").argParser(integer("--max-event-bytes", 1)).default(10 * 1024 * 1024, "10 MiB"),
      )
      .addHelpText(
        "after",
        examples([
          "hexlog explain -n 1 testdata/hex/audit.ndjson                 # classification, then every field",
          "hexlog explain --line 12 -t Hex.Audit failed.ndjson           # why line 12 fails",
          "hexlog explain -s schemas/ -t Custom.Apache access.log -n 3   # text schemas: the captures too",
          "hexlog explain --format json -n 5 events.ndjson | jq '.candidates[].error'",
        ]) +
          "\nPer event: file, line, bytes and framer; each candidate log type with its outcome (first match wins);\n" +
          "per field: input path, raw value, type, output value, coercion, time formats, validate, transformations,\n" +
          "indicators, isEventTime; input fields the schema drops. Exit 0 when every event explained became a\n" +
          "record, 1 when one failed, 2 on usage errors.\n",
      )
      .action(async (files: string[], opts: Record<string, unknown>, cmd: Command) => {
        const { runExplain } = await import("./explain.js");
        process.exitCode = await runExplain(files, { ...cmd.optsWithGlobals(), ...opts });
      });

  if (wanted("validate-schema"))
    program
      .command("validate-schema")
      .description("Check log schemas (files, directories or stdin): every finding at file:line:column")
      .argument("[paths...]", "schema files or directories (.yml/.yaml, recursive); none or - reads YAML from stdin")
      .addOption(new Option("--format <format>", "report format").choices(["text", "json", "github"]).default("text"))
      .option("--samples <files...>", "also parse these sample events with the valid schemas and report matches")
      .option("--against <dir|revision>", "also report breaking changes from this version: a directory, or a git revision (HEAD, main, v1.2)")
      .option("--watch", "validate again whenever a schema file is saved (Ctrl-C to stop)")
      .addHelpText(
        "after",
        examples([
          "hexlog validate-schema schemas/",
          "hexlog validate-schema schemas/ --format github          # annotations in GitHub Actions",
          "hexlog validate-schema my-app.yml --samples samples/app.ndjson",
          "hexlog validate-schema schemas/ --format json | jq '.findings[]'",
          "hexlog infer samples.ndjson | hexlog validate-schema   # check a generated schema",
          "hexlog validate-schema schemas/ --against origin/main   # renamed, deleted or retyped fields are errors",
        ]) + "\nExit codes: 0 valid (warnings allowed), 1 findings, 2 usage error (no such file, bad flag).\n",
      )
      .action(async (paths: string[], opts: Record<string, unknown>, cmd: Command) => {
        const { runValidateSchema } = await import("./validate-schema.js");
        process.exitCode = await runValidateSchema(paths, { ...cmd.optsWithGlobals(), ...fromEnv(cmd, opts) });
      });

  if (wanted("diff"))
    program
      .command("diff")
      .description("Report breaking changes between two versions of log schemas (files or directories)")
      .argument("<old>", "the old version: a schema file or directory")
      .argument("<new>", "the new version: a schema file or directory")
      .addOption(new Option("--format <format>", "report format").choices(["text", "json", "github"]).default("text"))
      .addHelpText(
        "after",
        examples([
          "hexlog diff old/app.yml schemas/app.yml",
          "hexlog diff released-schemas/ schemas/ --format github",
          "git show v1:app.yml > /tmp/app.yml && hexlog diff /tmp/app.yml app.yml",
        ]) +
          "\nErrors (breaking): a field renamed or deleted, a changed type (array elements and nested fields too),\n" +
          "a field turned required, a changed isEventTime, a log type renamed or deleted.\n" +
          "Notes: added fields and log types, changed descriptions, indicators, time formats.\n" +
          "Exit codes: 0 no breaking change, 1 breaking changes (or invalid schemas), 2 usage error.\n",
      )
      .action(async (oldPath: string, newPath: string, opts: Record<string, unknown>, cmd: Command) => {
        const { runDiff } = await import("./diff.js");
        process.exitCode = await runDiff(oldPath, newPath, { ...cmd.optsWithGlobals(), ...opts });
      });

  if (wanted("test"))
    program
      .command("test")
      .description("Run pantherlog-style schema unit tests (*_tests.yml)")
      .argument("[paths...]", "a schema file or directory, then test files; a directory alone is searched for *_tests.yml")
      .addOption(new Option("--format <format>", "report format (all on stdout)").choices(["text", "json", "junit", "github"]).default("text"))
      .option("--update", "rewrite the expected records of failing tests from the actual output")
      .option("--filter <pattern>", "run only tests whose name contains the text, or matches /regex/flags")
      .option("--coverage", "report per schema the fields, indicators, time formats, transformations and isEventTime no test exercises")
      .addOption(new Option("--min-coverage <percent>", "fail (exit 1) when a schema's coverage is below this; implies --coverage").argParser(integer("--min-coverage", 0, 100)))
      .option("--watch", "run again whenever a schema or test file is saved (Ctrl-C to stop)")
      .addHelpText(
        "after",
        examples([
          "hexlog test testdata/hex/                      # built-in log types: tests found by name",
          "hexlog test schemas/                           # every schema in schemas/ and every *_tests.yml under it",
          "hexlog test schema.yml schema_tests.yml        # pantherlog's form",
          "hexlog test schemas/ --filter login            # tests whose name contains \"login\"",
          "hexlog test schemas/ --filter '/^auth0 .*fail/i'",
          "hexlog test schemas/ --update                  # rewrite failing expectations, keeping comments",
          "hexlog test schemas/ --format junit > junit.xml",
          "hexlog test schemas/ --coverage                # what of each schema no test exercises",
          "hexlog test schemas/ --min-coverage 80         # CI: exit 1 below 80 %",
          "hexlog test schemas/ --watch                   # rerun the tests a saved file concerns",
        ]) + "\nReports go to stdout; exit 0 when every test passes, 1 when one fails, 2 on usage errors.\n",
      )
      .action(async (paths: string[], opts: Record<string, unknown>, cmd: Command) => {
        const { runTest } = await import("./test.js");
        process.exitCode = await runTest(paths, { ...cmd.optsWithGlobals(), ...fromEnv(cmd, opts) });
      });

  if (wanted("infer"))
    program
      .command("infer")
      .description("Infer a log schema (YAML on stdout) from sample JSON events (files or stdin)")
      .argument("[files...]", "sample files (plain or gzip); none or - reads stdin")
      .option("-n, --name <name>", "schema (log type) name", "Custom.Inferred")
      .option("-d, --description <text>", "schema description")
      .option("--extend <schema>", "add the fields the samples carry to this schema file (written back; comments and untouched fields kept)")
      .option("--dry-run", "with --extend: print the change as a diff instead of writing it")
      .option("--tests <file>", "also write a test file: one test per sample, its current record as the expectation")
      .addOption(
        maxEventBytesOption(),
      )
      .addHelpText(
        "after",
        examples([
          "hexlog infer samples.ndjson > custom-app.yml",
          "hexlog infer --name Custom.MyApp --description \"My app's audit log\" day1.json.gz day2.json.gz",
          "curl -s https://example.com/events | hexlog infer -n Custom.Webhook",
          "hexlog infer samples.ndjson > s.yml && hexlog parse --schemas s.yml -t Custom.Inferred samples.ndjson",
          "hexlog infer --extend schemas/app.yml new-samples.ndjson --dry-run   # the change as a diff",
          "hexlog infer --extend schemas/app.yml new-samples.ndjson --tests schemas/app_new_tests.yml",
        ]) +
          "\nEvents that are not JSON objects are reported (file:line) and skipped; the schema is still printed, and the exit code is 1.\n",
      )
      .action(async (files: string[], opts: Record<string, unknown>, cmd: Command) => {
        const { runInfer } = await import("./infer.js");
        process.exitCode = await runInfer(files, { ...cmd.optsWithGlobals(), ...fromEnv(cmd, opts) });
      });

  if (wanted("list-types"))
    program
      .command("list-types")
      .description("List the loaded log types")
      .addOption(schemasOption("extra schema files or directories"))
      .option("--show <type>", "print the schema of one log type")
      .addOption(new Option("--format <format>", "text for people, json for programs (one object per line)").choices(["text", "json"]).default("text"))
      .addHelpText("after", examples(["hexlog list-types", "hexlog list-types --show Hex.Audit", "hexlog list-types --schemas my-schemas/", "hexlog list-types --format json | jq -r .name"]))
      .action(async (opts: Record<string, unknown>, cmd: Command) => {
        const { runListTypes } = await import("./list-types.js");
        process.exitCode = await runListTypes({ ...cmd.optsWithGlobals(), ...fromEnv(cmd, opts) });
      });

  if (wanted("sources"))
    program
      .command("sources")
      .description("List the log sources of a sources file (Panther's ListSources/GetSource response or a YAML list)")
      .argument("[file]", "the sources file (instead of --sources)")
      .addOption(sourcesFileOption())
      .addOption(schemasOption("extra schema files or directories (to check the sources' log types)"))
      .addHelpText(
        "after",
        examples([
          "hexlog sources --sources sources.json",
          "HEXLOG_SOURCES=sources.json hexlog sources",
          "hexlog sources sources.yml --schemas my-schemas/",
        ]) + "\nA table on a terminal, NDJSON otherwise. Warns about log types no loaded schema defines.\n",
      )
      .action(async (file: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
        const { runSources } = await import("./sources.js");
        process.exitCode = await runSources(file, { ...cmd.optsWithGlobals(), ...fromEnv(cmd, opts) });
      });

  if (wanted("serve"))
    program
      .command("serve")
      .description("Receive webhook deliveries like Panther's HTTP source and write normalized records")
      .addOption(typeOption())
      .addOption(schemasOption("extra schema files or directories (.yml/.yaml)"))
      .addOption(sourcesFileOption())
      .option("--source <label|id>", "receive as this log source: its log types, its id and label on records")
      .option("--source-id <id>", "stamp p_source_id on every record")
      .option("--source-label <label>", "stamp p_source_label on every record")
      .addOption(new Option("-p, --port <n>", "port to listen on; 0 picks a free one (printed on start)").argParser(integer("--port", 0, 65535)).default(8080))
      .option("--host <address>", "address to listen on", "127.0.0.1")
      .addOption(new Option("--secret-header <name:value>", "require this header and secret (Hex-style shared secret)").env("HEXLOG_SECRET_HEADER"))
      .addOption(new Option("--bearer <token>", "require Authorization: Bearer <token> (Auth0-style)").env("HEXLOG_BEARER"))
      .option("--tls-cert <file>", "serve https with this certificate (PEM), with --tls-key")
      .option("--tls-key <file>", "the certificate's private key (PEM)")
      .option("-o, --output <file>", "write records to this file instead of stdout")
      .option("--errors <file>", "write every failed event to this dead-letter file (NDJSON)")
      .addOption(sizeOption("--max-body <size>", "largest request body, before and after decompression (bytes, or 512k, 1MiB…)", 1024 * 1024))
      .addOption(
        maxEventBytesOption(),
      )
      .addOption(new Option("--timeout <seconds>", "time a client has to send a whole request").argParser(integer("--timeout", 1)).default(30))
      .addOption(
        new Option("--shutdown-timeout <seconds>", "on SIGINT/SIGTERM/SIGHUP, how long to wait for requests in flight and the output").argParser(integer("--shutdown-timeout", 0)).default(10),
      )
      .addOption(new Option("--max-connections <n>", "requests read at once (more get 503 with Retry-After); bounds body memory").argParser(integer("--max-connections", 1)).default(32))
      .addOption(sizeOption("--max-buffered <size>", "bytes of request bodies read at once (more get 503 with Retry-After); bounds body memory", 8 * 1024 * 1024))
      .option("--no-auth", "allow listening beyond loopback without --secret-header or --bearer")
      .option("--now <rfc3339>", "fixed p_parse_time (for reproducible output)")
      .addOption(new Option("--seed <n>", "deterministic p_row_id values").argParser(integer("--seed", 0)))
      .option("--publish-raw <url/subject>", "store accepted bodies in a NATS JetStream stream instead (hexlog consume normalizes them)")
      .addOption(new Option("--nats-creds <file>", "NATS credentials file for --publish-raw").env("HEXLOG_NATS_CREDS"))
      .addOption(new Option("--nats-token <token>", "NATS auth token for --publish-raw").env("HEXLOG_NATS_TOKEN"))
      .option("--nats-tls-ca <file>", "connect to NATS with TLS, trusting this CA certificate (PEM)")
      .addHelpText(
        "after",
        examples([
          "HEXLOG_SECRET_HEADER='X-Hex-Secret:s3cret' hexlog serve -t Hex.Audit",
          "HEXLOG_BEARER=tok hexlog serve -t Auth0.Events --port 9000 --errors dead.ndjson",
          "hexlog serve --sources sources.json --source Webhooks --port 0 -o records.ndjson",
          "curl -H 'X-Hex-Secret: s3cret' --data-binary @testdata/hex/audit.ndjson http://127.0.0.1:8080/",
          "hexlog serve --bearer tok --publish-raw nats://127.0.0.1:4222/raw.hex   # 200 once JetStream stored the body",
        ]) +
          "\nAnswers 200 {request, events, records, errors} once the records are written; 401 bad credentials,\n" +
          "405 not POST, 413 body too large, 415 not JSON media type or unknown encoding, 400 not JSON.\n" +
          "503 with Retry-After: too many requests at once (--max-connections, --max-buffered), the output still behind\n" +
          "after half of --timeout, or the output failed (then it stops).\n" +
          "GET /healthz for probes. SIGINT/SIGTERM/SIGHUP: stop accepting, finish requests in flight and flush\n" +
          "(at most --shutdown-timeout seconds, else exit 130), exit 0; a second signal exits 130 at once.\n" +
          "Exit 3 when an output failed mid-run.\n",
      )
      .action(async (opts: Record<string, unknown>, cmd: Command) => {
        const { runServe } = await import("./serve.js");
        process.exitCode = await runServe({ ...cmd.optsWithGlobals(), ...fromEnv(cmd, opts) } as ServeOptions);
      });

  if (wanted("completion"))
    program
      .command("completion")
      .description("Print a shell completion script (bash, zsh or fish)")
      .argument("<shell>", "bash, zsh or fish")
      .addHelpText(
        "after",
        examples(['eval "$(hexlog completion bash)"            # in ~/.bashrc', 'hexlog completion zsh > "${fpath[1]}/_hexlog"', "hexlog completion fish > ~/.config/fish/completions/hexlog.fish"]),
      )
      .action(async (shell: string) => {
        const [{ completionScript }, { loadLogTypes }] = await Promise.all([import("./completion.js"), import("../catalog/load-types.js")]);
        const { types } = await loadLogTypes([]);
        const script = completionScript(shell, program, types.map((t) => t.logType.name));
        if (script === undefined) throw new UsageError(`no completion for shell "${shell}": use bash, zsh or fish`);
        process.stdout.write(script);
      });

  // Commander's own help command says nothing about a word it does not know: this one does, and has topics.
  program.helpCommand(false);
  if (wanted("help"))
    program
      .command("help")
      .description("Show help for a command, or a topic: exit-codes, environment, sizes, classification, terminal")
      .argument("[command-or-topic]")
      .action(async (word: string | undefined) => {
        if (word === undefined) {
          program.outputHelp();
          return;
        }
        const sub = program.commands.find((c) => c.name() === word && c.name() !== "help");
        if (sub) {
          sub.outputHelp();
          return;
        }
        const { HELP_TOPICS } = await import("./help-topics.js");
        const topic = HELP_TOPICS[word];
        if (topic) {
          process.stdout.write(topic.text);
          return;
        }
        const commands = program.commands.map((c) => c.name()).filter((n) => n !== "help");
        throw new UsageError(`unknown command or help topic "${word}"`, [
          `commands: ${commands.join(", ")}`,
          `topics: ${Object.entries(HELP_TOPICS)
            .map(([name]) => name)
            .join(", ")}`,
        ]);
      });

  if (wanted("consume"))
    program
      .command("consume")
      .description("Normalize raw events from a NATS JetStream stream as one of N workers sharing a durable consumer")
      .addOption(new Option("--nats <url>", "NATS server URL(s), comma-separated").env("HEXLOG_NATS_URL").default("nats://127.0.0.1:4222"))
      .requiredOption("--stream <name>", "the stream of raw bodies (one event, NDJSON or a JSON array per message)")
      .requiredOption("--consumer <name>", "durable pull consumer shared by the workers (created if missing)")
      .option("-t, --type <types...>", "log type(s) to parse as; several or none = classify among them (comma-separated ok)")
      .option("-s, --schemas <paths...>", "extra schema files or directories (.yml/.yaml)")
      .addOption(sourcesFileOption())
      .option("--source <label|id>", "read as this log source: its log types, its id and label on records")
      .option("--source-id <id>", "stamp p_source_id on every record")
      .option("--source-label <label>", "stamp p_source_label on every record")
      .requiredOption("--publish <subject>", "subject for records; {logType} is replaced by the record's log type")
      .requiredOption("--dead-letters <subject>", "subject for failed events (the fields of parse --errors lines)")
      .addOption(new Option("--max-inflight <n>", "messages being worked on at once, at most").argParser(integer("--max-inflight", 1, 100_000)).default(64))
      .addOption(new Option("--ack-wait <seconds>", "ack wait of the consumer when this worker creates it").argParser(integer("--ack-wait", 1, 86_400)).default(30))
      .addOption(new Option("--creds <file>", "NATS credentials file (user JWT and nkey seed)").env("HEXLOG_NATS_CREDS"))
      .addOption(new Option("--token <token>", "NATS auth token").env("HEXLOG_NATS_TOKEN"))
      .option("--tls-ca <file>", "connect with TLS, trusting this CA certificate (PEM)")
      .addOption(
        new Option("--max-event-bytes <n>", "largest event accepted, in bytes").argParser(integer("--max-event-bytes", 1)).default(10 * 1024 * 1024, "10 MiB"),
      )
      .option("--now <rfc3339>", "fixed p_parse_time (for reproducible output)")
      .addHelpText(
        "after",
        examples([
          "nats-server -js &",
          "nats stream add RAW --subjects 'raw.>' --defaults && nats stream add RECORDS --subjects 'records.>,dead' --dupe-window 2m --defaults",
          "hexlog consume --stream RAW --consumer hexlog -t Hex.Audit --publish 'records.{logType}' --dead-letters dead",
          "hexlog serve -t Hex.Audit --publish-raw nats://127.0.0.1:4222/raw.hex   # webhooks into the stream",
        ]) +
          "\nA message is acked once all its records and dead letters are stored; publishes carry Nats-Msg-Id\n" +
          "<stream>:<sequence>:<event>, so a redelivery is deduplicated. SIGTERM/SIGINT: finish the messages\n" +
          "in flight, ack, exit 0 (a second signal exits 130 at once). Exit 2: cannot connect, or a stream is missing.\n",
      )
      .action(async (opts: Record<string, unknown>, cmd: Command) => {
        const { runConsume } = await import("./consume.js");
        process.exitCode = await runConsume({ ...cmd.optsWithGlobals(), ...opts } as unknown as ConsumeCommandOptions);
      });

  return program;
}

/** A size flag: bytes or a number with a unit; the default shown as help shows sizes. */
function sizeOption(flags: string, description: string, defaultBytes: number): Option {
  const name = flags.split(" ")[0] as string;
  return new Option(flags, description).argParser((v: string) => parseByteSize(name, v)).default(defaultBytes, showByteSize(defaultBytes));
}

/** `-t`: also HEXLOG_TYPE (a flag given wins over the variable). */
function typeOption(): Option {
  return new Option("-t, --type <types...>", "log type(s) to parse as; several or none = classify among them (comma-separated ok)").env("HEXLOG_TYPE");
}

/** `-s`: also HEXLOG_SCHEMAS, a list of paths separated as in PATH (a flag given wins over the variable). */
function schemasOption(description: string): Option {
  return new Option("-s, --schemas <paths...>", description).env("HEXLOG_SCHEMAS");
}

/**
 * Option values with those taken from the environment put in list form: HEXLOG_SCHEMAS holds
 * paths separated by `:` (`;` on Windows), HEXLOG_TYPE names separated by commas.
 */
function fromEnv(cmd: Command, opts: Record<string, unknown>): Record<string, unknown> {
  const out = { ...opts };
  if (cmd.getOptionValueSource("schemas") === "env" && Array.isArray(opts.schemas)) {
    out.schemas = (opts.schemas as string[]).flatMap((p) => p.split(delimiter)).filter((p) => p !== "");
  }
  if (cmd.getOptionValueSource("type") === "env" && Array.isArray(opts.type)) {
    out.type = (opts.type as string[]).flatMap((t) => t.split(",")).map((t) => t.trim()).filter((t) => t !== "");
  }
  return out;
}

function sourcesFileOption(): Option {
  return new Option("--sources <file>", "log source definitions: Panther's ListSources/GetSource response, or a YAML list of {id, label, logTypes}").env("HEXLOG_SOURCES");
}

/**
 * A closed stdout (`hexlog … | head`) is how pipelines end, not an error: without a listener,
 * Node turns EPIPE into a crash with a stack trace. Commands with their own output sink (parse)
 * also see the error and stop writing; other failures are reported once, here or by that sink.
 */
function guardStdout(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") return;
    if (process.stdout.listenerCount("error") > 1) return;
    process.stderr.write(`hexlog: cannot write output: ${escapeText(e.message)}\n`);
    process.exitCode = 1;
  });
}

/**
 * `--unknown-fields=json`: an optional option-argument would swallow the file name after the
 * flag (`--unknown-fields app.ndjson`), so the `=` form is read here instead.
 */
function rewriteArgs(argv: string[]): string[] {
  return argv.map((a) => (a === "--unknown-fields=json" ? "--unknown-fields-json" : a === "--unknown-fields=text" ? "--unknown-fields" : a));
}

/** Runs the command line; the exit code is left in process.exitCode. */
export async function main(argv: string[], context: StartContext = {}): Promise<void> {
  argv = rewriteArgs(argv);
  guardStdout();
  // The CLI owns its process, so V8's process-wide regex flags are its to set.
  enableRegexBacktrackingGuard();
  const program = buildProgram(onlyCommand(argv), context);
  program.exitOverride();
  const output = {
    writeErr: (s: string) => process.stderr.write(s),
    // One prefix for every error; Commander quotes the words it did not understand, and words can hold anything.
    outputError: (s: string, write: (s: string) => void) => write(escapeLines(s.startsWith("error:") ? `hexlog: ${s.slice(7)}` : s)),
  };
  program.configureOutput(output);
  // Subcommands copied the settings when they were made: theirs are set here too.
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(output);
  if (argv.includes("--no-color")) (await import("../output/color.js")).disableColor();
  if (argv.includes("--no-cache")) (await import("../catalog/schema-cache.js")).disableSchemaCache();
  try {
    await program.parseAsync(withGoStyleFlags(argv, program));
  } catch (e) {
    process.exitCode = handleError(e);
  }
}

/**
 * The command a run of `parse` needs built, or undefined for all of them: building commander's
 * whole program (every command's options and help) was a few per cent of a one-event parse.
 * Go-style flags are checked against every command's options (pantherlog.ts), so they, like
 * anything but a plain `parse` (help, completion, an unknown word), get the whole program.
 */
export function onlyCommand(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  const at = args.findIndex((a) => !a.startsWith("-"));
  if (args[at] !== "parse" || args.slice(0, at).includes("--")) return undefined;
  return args.some((a) => /^-[a-z][a-z0-9-]/.test(a)) ? undefined : "parse";
}

/** pantherlog users type Go-style flags (`-path x`); see pantherlog.ts. */
function withGoStyleFlags(argv: string[], program: Command): string[] {
  const longOptions = (cmd: Command): LongOptions =>
    new Map(cmd.options.filter((o) => o.long !== undefined).map((o) => [(o.long as string).slice(2), o.required || o.optional]));
  const commands = new Map(program.commands.map((c) => [c.name(), longOptions(c)]));
  return [...argv.slice(0, 2), ...mapGoStyleFlags(argv.slice(2), commands, longOptions(program))];
}

function handleError(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return e.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (e instanceof UsageError) {
    // Messages name files, log types and values the user or the input gave.
    process.stderr.write(`hexlog: ${escapeText(e.message)}\n${e.details.map((d) => `  ${escapeText(d)}\n`).join("")}`);
    return EXIT_USAGE;
  }
  if (e instanceof OutputError) {
    process.stderr.write(`hexlog: ${escapeText(e.message)}\n`);
    return EXIT_OUTPUT;
  }
  const err = e as Error;
  process.stderr.write(`hexlog: internal error: ${escapeText(err?.message ?? String(e))}\n`);
  if (process.env.HEXLOG_DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
  return EXIT_INTERNAL;
}

