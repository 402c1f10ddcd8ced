/**
 * Loads log types: the built-in schemas, then the user's schema files. Problems (an unreadable
 * file, an invalid schema, a name defined twice) come back as values located at
 * file:line:column, each naming the log type it keeps out of the run; what a command makes of
 * them is the command's business (one invalid schema never blocks the others).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { buildLogType, type LogType } from "../engine/logtype.js";
import { builtinSchemaDir, builtinSchemaFiles, defaultSchemaName, expandSchemaPaths, readBundledSchemas } from "./files.js";
import { CappedReadError } from "../language/read-capped.js";
import type { SchemaSource, YamlProblem } from "../language/yaml-source.js";
import { suggest } from "../language/suggest.js";

type LoadModule = typeof import("../language/yaml-source.js");

export interface LoadedType {
  logType: LogType;
  source: SchemaSource;
}

/** A schema that could not be loaded, and where. */
export interface SchemaProblem {
  file: string;
  line?: number | undefined;
  col?: number | undefined;
  rule: string;
  message: string;
  /** The log type the file means to define (its `schema` key, or the name its file gives). */
  logType?: string | undefined;
}

export interface LoadedTypes {
  types: LoadedType[];
  warnings: string[];
  problems: SchemaProblem[];
  /** Every log type name found, the ones `only` left out included, in load order (for messages). */
  names: string[];
}

/** `file:line:col: message [rule]` */
export function formatSchemaProblem(p: SchemaProblem): string {
  const at = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.col ?? 1}`;
  return `${at}: ${p.message} [${p.rule}]`;
}

/** A log type name, case aside: dot-separated words (Custom.MyApp, hex.audit). */
const LOOKS_LIKE_LOG_TYPE = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+$/;
/**
 * Warnings that are advice on how to write a schema, given by validate-schema: parse and test
 * would repeat them on every run of Panther's own managed schemas.
 */
const ADVICE_RULES: ReadonlySet<string> = new Set(["indicators-on-array"]);

export interface LoadOptions {
  /**
   * Only these log types are needed: a schema whose name one line gives (`schema: Name`) and
   * that is not among them is neither compiled nor checked, so a run over a directory of many
   * schemas pays for the ones it uses. Schemas whose name is not found that way load as usual.
   */
  only?: readonly string[] | undefined;
}

/**
 * A top-level `schema: Name` line, the name plain or quoted: the log type's name without parsing
 * the YAML. Anything else (flow style, an alias, a tag, no such line, two such lines) is read in full.
 */
const SCHEMA_NAME_LINE = /^schema:[ \t]*(?:"([A-Za-z0-9_.-]+)"|'([A-Za-z0-9_.-]+)'|([A-Za-z0-9_.-]+))[ \t]*(?:#.*)?$/gm;

export function scannedSchemaName(text: string): string | undefined {
  const found = [...text.matchAll(SCHEMA_NAME_LINE)];
  if (found.length !== 1) return undefined;
  const m = found[0] as RegExpMatchArray;
  return m[1] ?? m[2] ?? m[3];
}

export async function loadLogTypes(schemaPaths: readonly string[] = [], options: LoadOptions = {}): Promise<LoadedTypes> {
  const only = options.only && options.only.length > 0 ? new Set(options.only) : undefined;
  const dir = builtinSchemaDir();
  let userFiles: string[];
  try {
    userFiles = await expandSchemaPaths(schemaPaths);
  } catch (e) {
    // pantherlog's habit: a log type after --schemas. Names have no file extension; files do.
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT" ? (e as NodeJS.ErrnoException).path : undefined;
    if (missing !== undefined && LOOKS_LIKE_LOG_TYPE.test(missing) && !/\.ya?ml$/i.test(missing)) {
      return { types: [], warnings: [], names: [], problems: [{ file: missing, rule: "log-type-as-schema", message: `--schemas takes schema files; use -t for log types ("${missing}" is no file)` }] };
    }
    return { types: [], warnings: [], names: [], problems: [{ file: schemaPaths.join(", "), rule: "unreadable", message: `cannot read schemas: ${describeFsError(e)}` }] };
  }
  // The YAML reader is loaded only when needed: built-ins come bundled as JSON when built.
  const bundled = readBundledSchemas();
  const yaml = bundled && userFiles.length === 0 ? undefined : await import("../language/yaml-source.js");
  const sources: Array<{ file: string; read: () => Promise<{ source: SchemaSource; problems: YamlProblem[] }> }> = [];
  /** Log types `only` leaves out, and how many sources were listed before each. */
  const skipped: Array<{ at: number; name: string }> = [];
  for (const f of builtinSchemaFiles(bundled ?? null)) {
    const file = join(dir, f);
    const b = bundled?.find((x) => x.file === f);
    // A built-in's file is named after its log type (checked by the build's bundling).
    const name = (b?.value as { schema?: unknown } | undefined)?.schema ?? defaultSchemaName(f);
    if (only && typeof name === "string" && !only.has(name)) {
      skipped.push({ at: sources.length, name });
      continue;
    }
    sources.push({
      file,
      read: async () => (b ? { source: { file, text: b.text, value: b.value, builtin: true }, problems: [] } : (yaml as LoadModule).readSchemaFile(file, true)),
    });
  }
  for (const f of userFiles) {
    const y = yaml as LoadModule;
    if (only && !y.refuseIfTooLarge(f, false)) {
      let text: string | undefined;
      try {
        text = await readFile(f, "utf8");
      } catch {
        // Reported by the full read below.
      }
      if (text !== undefined) {
        const name = scannedSchemaName(text);
        if (name !== undefined && !only.has(name)) {
          skipped.push({ at: sources.length, name });
          continue;
        }
        const known = text;
        sources.push({ file: f, read: async () => y.parseSchemaText(known, f, false) });
        continue;
      }
    }
    sources.push({ file: f, read: () => y.readSchemaFile(f, false) });
  }

  const byName = new Map<string, LoadedType>();
  const problems: SchemaProblem[] = [];
  /** Names defined by two user files, with the first file. */
  const duplicated = new Map<string, string>();
  const warnings: string[] = [];
  const names: string[] = [];
  for (const [at, { file, read }] of sources.entries()) {
    while (skipped.length > 0 && (skipped[0] as { at: number }).at <= at) names.push((skipped.shift() as { name: string }).name);
    let loaded;
    try {
      loaded = await read();
    } catch (e) {
      problems.push({ file, rule: "unreadable", message: `cannot read: ${describeFsError(e)}` });
      continue;
    }
    const { source, problems: yamlProblems } = loaded;
    const named = nameOf(source.value, file);
    if (yamlProblems.length > 0) {
      // The YAML could not be read: the name is the `schema:` line's, if there is one to see.
      const unread = /^schema:[ \t]*["']?([A-Za-z0-9.]+)/m.exec(source.text)?.[1];
      for (const p of yamlProblems) problems.push({ file, line: p.line, col: p.col, rule: p.rule, message: p.message, logType: unread });
      continue;
    }
    const { logType, issues } = buildLogType(source.value, defaultSchemaName(file), source.builtin);
    let failed = false;
    for (const issue of issues) {
      const pos = yaml ? yaml.locate(source, issue.path, issue.atKey) : { line: 1, col: 1 };
      const problem = { file, line: pos.line, col: pos.col, rule: issue.rule, message: issue.message, logType: logType?.name ?? named };
      if (issue.severity === "error") {
        problems.push(problem);
        failed = true;
      } else if (!ADVICE_RULES.has(issue.rule)) warnings.push(`warning: ${formatSchemaProblem(problem)}`);
    }
    if (!logType || failed) continue;
    const prev = byName.get(logType.name);
    const first = prev && !prev.source.builtin ? prev.source.file : duplicated.get(logType.name);
    if (first !== undefined) {
      // Which of the definitions a test or -t means is unclear, so all of them are out of the run.
      problems.push({ file, rule: "duplicate-log-type", message: `log type ${logType.name} is already defined in ${first}`, logType: logType.name });
      duplicated.set(logType.name, first);
      byName.delete(logType.name);
      continue;
    }
    if (prev) warnings.push(`note: ${file} replaces the built-in log type ${logType.name}`);
    byName.set(logType.name, { logType, source });
    if (!names.includes(logType.name)) names.push(logType.name);
  }
  names.push(...skipped.map((s) => s.name));
  return { types: [...byName.values()], warnings, problems, names };
}

/**
 * The loaded name closest to an unknown one: the same name in another case (names are
 * case-sensitive: they name tables downstream), else the nearest by edit distance.
 */
export function closestTypeName(all: readonly LoadedType[], name: string): string | undefined {
  const known = all.map((x) => x.logType.name);
  return known.find((k) => k.toLowerCase() === name.toLowerCase()) ?? suggest(name, known);
}

/** The log type a schema document means to define, even when it is invalid. */
function nameOf(value: unknown, file: string): string {
  const v = value as { schema?: unknown } | null;
  return v && typeof v === "object" && typeof v.schema === "string" && v.schema !== "" ? v.schema : defaultSchemaName(file);
}

/** Picks log types by name, in the order given (none: all of them); names not loaded are listed. */
export function pickTypes(all: readonly LoadedType[], names: readonly string[] | undefined): { types: LoadedType[]; unknown: string[] } {
  if (!names || names.length === 0) return { types: [...all], unknown: [] };
  const types: LoadedType[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const t = all.find((x) => x.logType.name === name);
    if (!t) unknown.push(name);
    else if (!types.includes(t)) types.push(t);
  }
  return { types, unknown };
}

export function describeFsError(e: unknown): string {
  if (e instanceof CappedReadError) return `${e.file}: ${e.message}`;
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT") return `${err.path ?? "file"}: no such file or directory`;
  if (err.code === "EACCES") return `${err.path ?? "file"}: permission denied`;
  if (err.code === "EISDIR") return `${err.path ?? "path"}: is a directory`;
  if (err.code === "EPERM") return `${err.path ?? "file"}: permission denied`;
  if (err.code === "ENOTDIR") return `${err.path ?? "path"}: not a directory`;
  if (err.code === "ELOOP") return `${err.path ?? "path"}: too many symbolic links`;
  return err.message ?? String(e);
}

/**
 * Compiles one schema from YAML text (a program's own schema, not on disk): the log type, or
 * the problems that stop it, located at line:column in `file` (a name for messages).
 */
export async function compileLogType(text: string, file = "<schema>"): Promise<{ logType?: LogType; problems: SchemaProblem[]; warnings: SchemaProblem[] }> {
  const yaml = await import("../language/yaml-source.js");
  const { source, problems: yamlProblems } = yaml.parseSchemaText(text, file);
  if (yamlProblems.length > 0) return { problems: yamlProblems.map((p) => ({ file, line: p.line, col: p.col, rule: p.rule, message: p.message })), warnings: [] };
  const { logType, issues } = buildLogType(source.value, defaultSchemaName(file));
  const problems: SchemaProblem[] = [];
  const warnings: SchemaProblem[] = [];
  for (const issue of issues) {
    const pos = yaml.locate(source, issue.path, issue.atKey);
    (issue.severity === "error" ? problems : warnings).push({ file, line: pos.line, col: pos.col, rule: issue.rule, message: issue.message });
  }
  return problems.length > 0 || !logType ? { problems, warnings } : { logType, problems, warnings };
}
