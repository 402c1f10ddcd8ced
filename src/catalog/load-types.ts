/**
 * Loads the log types a command works with: the built-in schemas, then those under --schemas.
 * An invalid schema file is a value (its problems at file:line:column), never in the way of the
 * others: commands report it and fail only what uses its log type (SPEC §3 decisions). A path
 * that cannot be read at all is still a configuration error.
 */
import { join } from "node:path";
import { buildLogType, type LogType } from "../engine/logtype.js";
import { BUILTIN_SCHEMA_FILES, builtinSchemaDir, defaultSchemaName, expandSchemaPaths, readBundledSchemas } from "./files.js";
import type { SchemaSource, YamlProblem } from "../language/yaml-source.js";
import { UsageError } from "../cli/errors.js";

type LoadModule = typeof import("../language/yaml-source.js");

export interface LoadedType {
  logType: LogType;
  source: SchemaSource;
}

/** A schema file that could not be made into a log type. */
export interface InvalidSchema {
  file: string;
  /** The log type it names (its `schema` key, or the name its file gives), when known. */
  logType: string | undefined;
  /** `file:line:col: message [rule]` each. */
  problems: string[];
}

export interface LoadedTypes {
  types: LoadedType[];
  warnings: string[];
  invalid: InvalidSchema[];
}

/**
 * Warnings that are advice on how to write a schema, given by validate-schema: parse and test
 * would repeat them on every run of Panther's own managed schemas.
 */
const ADVICE_RULES: ReadonlySet<string> = new Set(["indicators-on-array"]);

export async function loadLogTypes(schemaPaths: readonly string[] = []): Promise<LoadedTypes> {
  const dir = builtinSchemaDir();
  let userFiles: string[];
  try {
    userFiles = await expandSchemaPaths(schemaPaths);
  } catch (e) {
    throw new UsageError(`cannot read schemas: ${describeFsError(e)}`);
  }
  // The YAML reader is loaded only when needed: built-ins come bundled as JSON when built.
  const bundled = readBundledSchemas();
  const yaml = bundled && userFiles.length === 0 ? undefined : await import("../language/yaml-source.js");
  const sources: Array<{ file: string; read: () => Promise<{ source: SchemaSource; problems: YamlProblem[] }> }> = [];
  for (const f of BUILTIN_SCHEMA_FILES) {
    const file = join(dir, f);
    const b = bundled?.find((x) => x.file === f);
    sources.push({
      file,
      read: async () => (b ? { source: { file, text: b.text, value: b.value, builtin: true }, problems: [] } : (yaml as LoadModule).readSchemaFile(file, true)),
    });
  }
  for (const f of userFiles) sources.push({ file: f, read: () => (yaml as LoadModule).readSchemaFile(f, false) });

  const byName = new Map<string, LoadedType>();
  const invalid: InvalidSchema[] = [];
  /** Names defined by two user files, with the first file. */
  const duplicated = new Map<string, string>();
  const warnings: string[] = [];
  for (const { file, read } of sources) {
    let loaded;
    try {
      loaded = await read();
    } catch (e) {
      invalid.push({ file, logType: undefined, problems: [`${file}: cannot read: ${describeFsError(e)}`] });
      continue;
    }
    const { source, problems: yamlProblems } = loaded;
    const named = nameOf(source.value, file);
    if (yamlProblems.length > 0) {
      invalid.push({ file, logType: named, problems: yamlProblems.map((p) => `${file}:${p.line}:${p.col}: ${p.message} [${p.rule}]`) });
      continue;
    }
    const { logType, issues } = buildLogType(source.value, defaultSchemaName(file));
    const problems: string[] = [];
    for (const issue of issues) {
      const pos = yaml ? yaml.locate(source, issue.path, issue.atKey) : { line: 1, col: 1 };
      const line = `${file}:${pos.line}:${pos.col}: ${issue.message} [${issue.rule}]`;
      if (issue.severity === "error") problems.push(line);
      else if (!ADVICE_RULES.has(issue.rule)) warnings.push(`warning: ${line}`);
    }
    if (!logType || problems.length > 0) {
      invalid.push({ file, logType: logType?.name ?? named, problems });
      continue;
    }
    const prev = byName.get(logType.name);
    const first = prev && !prev.source.builtin ? prev.source.file : duplicated.get(logType.name);
    if (first !== undefined) {
      // Which of the definitions a test or -t means is unclear, so all of them are out of the run.
      invalid.push({ file, logType: logType.name, problems: [`${file}: log type ${logType.name} is already defined in ${first} [duplicate-log-type]`] });
      duplicated.set(logType.name, first);
      byName.delete(logType.name);
      continue;
    }
    if (prev) warnings.push(`note: ${file} replaces the built-in log type ${logType.name}`);
    byName.set(logType.name, { logType, source });
  }
  return { types: [...byName.values()], warnings, invalid };
}

/** The log type a schema document means to define, even when it is invalid. */
function nameOf(value: unknown, file: string): string {
  const v = value as { schema?: unknown } | null;
  return v && typeof v === "object" && typeof v.schema === "string" && v.schema !== "" ? v.schema : defaultSchemaName(file);
}

/** Every problem of the invalid schemas, one line each (for stderr). */
export function invalidSchemaLines(invalid: readonly InvalidSchema[]): string[] {
  return invalid.flatMap((i) => i.problems.map((p) => `error: ${p}`));
}

/** Picks log types by name, in the order given; unknown names are a usage error. */
export function selectTypes(all: readonly LoadedType[], names: readonly string[] | undefined, invalid: readonly InvalidSchema[] = []): LoadedType[] {
  if (!names || names.length === 0) return [...all];
  const out: LoadedType[] = [];
  for (const name of names) {
    const t = all.find((x) => x.logType.name === name);
    const broken = t ? [] : invalid.filter((i) => i.logType === name);
    if (broken.length > 0) {
      throw new UsageError(`the schema of log type "${name}" is invalid:`, broken.flatMap((i) => i.problems));
    }
    if (!t) {
      throw new UsageError(`unknown log type "${name}"`, [`available: ${all.map((x) => x.logType.name).join(", ")}`]);
    }
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT") return `${err.path ?? "file"}: no such file or directory`;
  if (err.code === "EACCES") return `${err.path ?? "file"}: permission denied`;
  if (err.code === "EISDIR") return `${err.path ?? "path"}: is a directory`;
  return err.message ?? String(e);
}
