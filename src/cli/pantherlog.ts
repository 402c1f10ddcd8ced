/**
 * pantherlog's command line, read by hexlog: Go-style single-dash long flags (`-path`,
 * `-source-id`), `--path` for schema files, and `--schemas` naming log types. A Panther user's
 * scripts and muscle memory work unchanged; hexlog's own forms stay the documented ones.
 */
import { statSync } from "node:fs";
import { LOG_TYPE_NAME } from "../language/names.js";
import { UsageError } from "./errors.js";

/** A command's long option names (without dashes), and whether each takes a value. */
export type LongOptions = ReadonlyMap<string, boolean>;

/** The flags pantherlog without a subcommand took (it read stdin and classified, like `parse`). */
const BARE_PANTHERLOG_FLAGS: ReadonlySet<string> = new Set(["debug", "source-id", "source-label"]);

/**
 * Rewrites Go-style `-name` and `-name=value` to `--name…` when `name` is a long option of the
 * command being run. Go's flag package reads one dash and two alike; commander would read
 * `-schemas` as `-s chemas` and `-source-id` as `-s ource-id`, silently wrong, so these words
 * never reach it as short-flag clusters: a long name that is not an option of this command (say
 * `infer -debug`, which commander would read as `-d ebug`) is a usage error. A pantherlog call
 * without a subcommand (`pantherlog -debug < input`) becomes `parse`. Words after `--` and option
 * values are left alone.
 */
export function mapGoStyleFlags(args: readonly string[], commands: ReadonlyMap<string, LongOptions>, global: LongOptions): string[] {
  const out: string[] = [];
  let command: string | undefined;
  let options: LongOptions = global;
  let valueNext = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    if (valueNext) {
      valueNext = false;
      out.push(arg);
      continue;
    }
    if (command === undefined && !arg.startsWith("-")) {
      if (commands.has(arg)) {
        command = arg;
        options = new Map([...global, ...(commands.get(arg) as LongOptions)]);
      }
      out.push(arg);
      continue;
    }
    const m = /^-([a-z][a-z0-9-]+)(=.*)?$/.exec(arg);
    if (m) {
      const name = m[1] as string;
      if (command === undefined && BARE_PANTHERLOG_FLAGS.has(name) && commands.has("parse")) {
        command = "parse";
        options = new Map([...global, ...(commands.get("parse") as LongOptions)]);
        out.push("parse");
      }
      const takesValue = options.get(name);
      if (takesValue !== undefined) {
        out.push(`--${name}${m[2] ?? ""}`);
        valueNext = takesValue && m[2] === undefined;
        continue;
      }
      if (BARE_PANTHERLOG_FLAGS.has(name) || name === "path" || [...commands.values()].some((o) => o.has(name))) {
        throw new UsageError(`unknown option '${arg}'${command ? ` for ${command}` : ""} (read as --${name}, which ${command ?? "hexlog"} does not take)`);
      }
    } else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      valueNext = eq < 0 && options.get(arg.slice(2)) === true;
    }
    out.push(arg);
  }
  return out;
}


/**
 * pantherlog's `--schemas` names the log types to try (`--schemas Custom.A,Custom.B`); hexlog's
 * names schema paths. A value that is not an existing path and reads as log type names is
 * pantherlog's; it becomes `-t` once the schemas are loaded (see `schemaNamesAsTypes`).
 */
export function splitSchemaArgs(values: readonly string[]): { paths: string[]; names: string[] } {
  const paths: string[] = [];
  const names: string[] = [];
  for (const v of values) {
    const parts = v.split(",").filter((p) => p !== "");
    if (!exists(v) && parts.length > 0 && parts.every((p) => LOG_TYPE_NAME.test(p))) names.push(...parts);
    else paths.push(v);
  }
  return { paths, names };
}

/**
 * The `--schemas` words that name loaded log types, to be used as `-t`, with a one-line note;
 * `unknown` holds the others (neither a path nor a loaded type).
 */
export function schemaNamesAsTypes(names: readonly string[], known: (name: string) => boolean): { types: string[]; unknown: string[]; note?: string } {
  const types = names.filter(known);
  const unknown = names.filter((n) => !known(n));
  if (types.length === 0) return { types, unknown };
  const list = types.join(",");
  return { types, unknown, note: `note: --schemas ${list}: no such path, but a log type name (pantherlog's meaning); taken as -t ${list}` };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
