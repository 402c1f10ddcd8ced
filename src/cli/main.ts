/**
 * The hexlog command line: global options, subcommands, exit codes. Command modules are
 * imported only when their command runs, so `hexlog --version` starts fast.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { EXIT_USAGE, UsageError } from "./errors.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

function integer(name: string, min: number) {
  return (value: string): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min) {
      throw new UsageError(`${name} must be an integer ≥ ${min}, got "${value}"`);
    }
    return Number(value);
  };
}

export function buildProgram(): Command {
  const program = new Command("hexlog")
    .description("Normalize security logs with Panther-compatible YAML log schemas.")
    .version(pkg.version, "-V, --version", "print the version")
    .option("--no-color", "disable colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)")
    .option("-q, --quiet", "print only data and errors, no summary or progress")
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      "after",
      examples([
        "cat audit.ndjson | hexlog parse --type Hex.Audit",
        "hexlog parse samples/ --pretty",
        "hexlog validate-schema schemas/",
        "hexlog list-types",
      ]) + "\nExit codes: 0 ok, 1 events failed / findings, 2 usage or configuration error, 130 interrupted.\n",
    );

  program
    .command("parse")
    .description("Parse JSON events (files or stdin) into normalized records on stdout")
    .argument("[files...]", "input files (plain or gzip); none or - reads stdin")
    .option("-t, --type <types...>", "log type(s) to parse as; several or none = classify among them (comma-separated ok)")
    .option("-s, --schemas <paths...>", "extra schema files or directories (.yml/.yaml)")
    .option("--source-id <id>", "stamp p_source_id on every record")
    .option("--source-label <label>", "stamp p_source_label on every record")
    .option("--errors <file>", "write every failed event to this dead-letter file (NDJSON)")
    .option("--pretty", "indented, coloured records; errors shown inline")
    .option("--indicators", "print the distinct indicators found instead of records")
    .option("--unknown-fields", "report input fields that the schema does not declare")
    .option("--now <rfc3339>", "fixed p_parse_time (for reproducible output)")
    .addOption(new Option("--seed <n>", "deterministic p_row_id values").argParser(integer("--seed", 0)))
    .addOption(
      new Option("--max-event-bytes <n>", "largest event accepted, in bytes").argParser(integer("--max-event-bytes", 1)).default(10 * 1024 * 1024, "10 MiB"),
    )
    .addHelpText(
      "after",
      examples([
        "hexlog parse --type Hex.Audit testdata/hex/audit.ndjson",
        "gunzip -c audit.json.gz | hexlog parse -t Hex.Audit --errors failed.ndjson",
        "hexlog parse logs.ndjson --schemas schemas/ --type Custom.MyApp",
        "hexlog parse sample.json --pretty",
        "hexlog parse --indicators auth0.ndjson",
        "hexlog parse -t Hex.Audit --now 2026-01-01T00:00:00Z --seed 1 sample.ndjson   # golden output",
      ]),
    )
    .action(async (files: string[], opts: Record<string, unknown>, cmd: Command) => {
      const { runParse } = await import("./parse.js");
      process.exitCode = await runParse(files, { ...cmd.optsWithGlobals(), ...opts });
    });

  program
    .command("validate-schema")
    .description("Check log schemas (files, directories or stdin): every finding at file:line:column")
    .argument("[paths...]", "schema files or directories (.yml/.yaml, recursive); none or - reads YAML from stdin")
    .addOption(new Option("--format <format>", "report format").choices(["text", "json", "github"]).default("text"))
    .option("--samples <files...>", "also parse these sample events with the valid schemas and report matches")
    .addHelpText(
      "after",
      examples([
        "hexlog validate-schema schemas/",
        "hexlog validate-schema schemas/ --format github          # annotations in GitHub Actions",
        "hexlog validate-schema my-app.yml --samples samples/app.ndjson",
        "hexlog validate-schema schemas/ --format json | jq '.findings[]'",
        "cat generated.yml | hexlog validate-schema",
      ]) + "\nExit codes: 0 valid (warnings allowed), 1 findings, 2 usage error (no such file, bad flag).\n",
    )
    .action(async (paths: string[], opts: Record<string, unknown>, cmd: Command) => {
      const { runValidateSchema } = await import("./validate-schema.js");
      process.exitCode = await runValidateSchema(paths, { ...cmd.optsWithGlobals(), ...opts });
    });

  program
    .command("list-types")
    .description("List the loaded log types")
    .option("-s, --schemas <paths...>", "extra schema files or directories")
    .option("--show <type>", "print the schema of one log type")
    .addHelpText("after", examples(["hexlog list-types", "hexlog list-types --show Hex.Audit", "hexlog list-types --schemas my-schemas/"]))
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runListTypes } = await import("./list-types.js");
      process.exitCode = await runListTypes({ ...cmd.optsWithGlobals(), ...opts });
    });

  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(s.startsWith("error:") ? `hexlog: ${s.slice(7)}` : s),
  });
  for (const cmd of program.commands) cmd.exitOverride();
  if (argv.includes("--no-color")) (await import("../output/color.js")).disableColor();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = handleError(e);
  }
}

function handleError(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return e.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`hexlog: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join("")}`);
    return EXIT_USAGE;
  }
  const err = e as Error;
  process.stderr.write(`hexlog: internal error: ${err?.message ?? String(e)}\n`);
  if (process.env.HEXLOG_DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
  return 1;
}

await main(process.argv);
