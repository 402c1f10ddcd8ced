/**
 * Loads the log types a command works with: the built-in schemas, then those under --schemas.
 * Any unreadable or invalid schema is a configuration error (exit 2) listing every problem at
 * file:line:column.
 */
import { join } from "node:path";
import { buildLogType, type LogType } from "../engine/logtype.js";
import { BUILTIN_SCHEMA_FILES, builtinSchemaDir, defaultSchemaName, expandSchemaPaths, readBundledSchemas } from "./files.js";
import type { SchemaSource, YamlProblem } from "../language/yaml-source.js";
import { suggest } from "../language/suggest.js";
import { UsageError } from "../cli/errors.js";

type LoadModule = typeof import("../language/yaml-source.js");

export interface LoadedType {
  logType: LogType;
  source: SchemaSource;
}

export interface LoadedTypes {
  types: LoadedType[];
  warnings: string[];
}

/** A log type name, case aside: dot-separated words (Custom.MyApp, hex.audit). */
const LOOKS_LIKE_LOG_TYPE = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+$/;

export async function loadLogTypes(schemaPaths: readonly string[] = []): Promise<LoadedTypes> {
  const dir = builtinSchemaDir();
  let userFiles: string[];
  try {
    userFiles = await expandSchemaPaths(schemaPaths);
  } catch (e) {
    // pantherlog's habit: a log type after --schemas. Names have no file extension; files do.
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT" ? (e as NodeJS.ErrnoException).path : undefined;
    if (missing !== undefined && LOOKS_LIKE_LOG_TYPE.test(missing) && !/\.ya?ml$/i.test(missing)) {
      throw new UsageError(`--schemas takes schema files; use -t for log types ("${missing}" is no file)`, [`example: hexlog parse -t ${missing} events.ndjson`]);
    }
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
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const { file, read } of sources) {
    let loaded;
    try {
      loaded = await read();
    } catch (e) {
      problems.push(`${file}: cannot read: ${describeFsError(e)}`);
      continue;
    }
    const { source, problems: yamlProblems } = loaded;
    if (yamlProblems.length > 0) {
      for (const p of yamlProblems) problems.push(`${file}:${p.line}:${p.col}: ${p.message} [${p.rule}]`);
      continue;
    }
    const { logType, issues } = buildLogType(source.value, defaultSchemaName(file), source.builtin);
    for (const issue of issues) {
      const pos = yaml ? yaml.locate(source, issue.path, issue.atKey) : { line: 1, col: 1 };
      const line = `${file}:${pos.line}:${pos.col}: ${issue.message} [${issue.rule}]`;
      if (issue.severity === "error") problems.push(line);
      else warnings.push(`warning: ${line}`);
    }
    if (!logType) continue;
    const prev = byName.get(logType.name);
    if (prev && !prev.source.builtin) {
      problems.push(`${file}: log type ${logType.name} is already defined in ${prev.source.file} [duplicate-log-type]`);
      continue;
    }
    if (prev) warnings.push(`note: ${file} replaces the built-in log type ${logType.name}`);
    byName.set(logType.name, { logType, source });
  }
  if (problems.length > 0) {
    throw new UsageError(`${problems.length === 1 ? "a schema is" : `${problems.length} schema problems are`} in the way:`, problems);
  }
  return { types: [...byName.values()], warnings };
}

/** Picks log types by name, in the order given; unknown names are a usage error. */
export function selectTypes(all: readonly LoadedType[], names: readonly string[] | undefined): LoadedType[] {
  if (!names || names.length === 0) return [...all];
  const out: LoadedType[] = [];
  for (const name of names) {
    const t = all.find((x) => x.logType.name === name);
    if (!t) {
      // Names are case-sensitive (they name tables downstream); a case slip gets the exact name.
      const known = all.map((x) => x.logType.name);
      const hint = known.find((k) => k.toLowerCase() === name.toLowerCase()) ?? suggest(name, known);
      throw new UsageError(`unknown log type "${name}"${hint ? ` (did you mean ${hint}?)` : ""}`, [`available: ${known.join(", ")}`]);
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
