/**
 * Loads the log types a command works with: the built-in schemas, then those under --schemas.
 * Any unreadable or invalid schema is a configuration error (exit 2) listing every problem at
 * file:line:column.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { buildLogType, type LogType } from "../engine/logtype.js";
import { BUILTIN_SCHEMA_FILES, builtinSchemaDir, defaultSchemaName, expandSchemaPaths, readBundledSchemas } from "./files.js";
import type { SchemaSource, YamlProblem } from "../language/yaml-source.js";
import { UsageError } from "../cli/errors.js";

type LoadModule = typeof import("../language/yaml-source.js");

export interface LoadedType {
  /** The log type's name, known before its schema is read in full. */
  readonly name: string;
  /**
   * Compiled on first use, so a run compiles only the log types it uses. A schema with problems
   * throws a UsageError listing them at file:line:column.
   */
  readonly logType: LogType;
  readonly source: SchemaSource;
}

export interface LoadedTypes {
  types: LoadedType[];
  /** Warnings of the schemas compiled so far (a lazily compiled type adds its own when used). */
  warnings: string[];
}

type Loaded = { source: SchemaSource; problems: YamlProblem[] };

interface Compiled {
  logType?: LogType;
  source?: SchemaSource;
  problems: string[];
  warnings: string[];
}

/** Checks and compiles one schema file's parsed document. */
function compileLoaded(file: string, loaded: Loaded, yaml: LoadModule | undefined): Compiled {
  const problems: string[] = [];
  const warnings: string[] = [];
  const { source, problems: yamlProblems } = loaded;
  if (yamlProblems.length > 0) {
    for (const p of yamlProblems) problems.push(`${file}:${p.line}:${p.col}: ${p.message} [${p.rule}]`);
    return { problems, warnings };
  }
  const { logType, issues } = buildLogType(source.value, defaultSchemaName(file));
  for (const issue of issues) {
    const pos = yaml ? yaml.locate(source, issue.path, issue.atKey) : { line: 1, col: 1 };
    const line = `${file}:${pos.line}:${pos.col}: ${issue.message} [${issue.rule}]`;
    if (issue.severity === "error") problems.push(line);
    else warnings.push(`warning: ${line}`);
  }
  return logType ? { logType, source, problems, warnings } : { problems, warnings };
}

function schemaProblems(problems: readonly string[]): UsageError {
  return new UsageError(`${problems.length === 1 ? "a schema is" : `${problems.length} schema problems are`} in the way:`, [...problems]);
}

/**
 * A top-level `schema: Name` line, the name plain or quoted: the log type's name without parsing
 * the YAML. Anything else (flow style, an alias, a tag, no such line) is read in full up front.
 */
const SCHEMA_NAME_LINE = /^schema:[ \t]*(?:"([A-Za-z0-9_.-]+)"|'([A-Za-z0-9_.-]+)'|([A-Za-z0-9_.-]+))[ \t]*(?:#.*)?$/gm;

function scannedName(text: string): string | undefined {
  const found = [...text.matchAll(SCHEMA_NAME_LINE)];
  if (found.length !== 1) return undefined;
  const m = found[0] as RegExpMatchArray;
  return m[1] ?? m[2] ?? m[3];
}

/** A log type compiled when first used; its name was found without reading the schema in full. */
class LazyType implements LoadedType {
  private compiled: Compiled | undefined;

  constructor(
    readonly name: string,
    private readonly file: string,
    private readonly compile: () => Compiled,
  ) {}

  private get done(): Compiled & { logType: LogType; source: SchemaSource } {
    this.compiled ??= this.compile();
    const c = this.compiled;
    if (c.problems.length > 0 || !c.logType || !c.source) throw schemaProblems(c.problems);
    // The name line said one thing, the schema another (a second document, a merge key).
    if (c.logType.name !== this.name) throw schemaProblems([`${this.file}: log type ${c.logType.name} was listed as ${this.name} [unexpected-name]`]);
    return c as Compiled & { logType: LogType; source: SchemaSource };
  }

  get logType(): LogType {
    return this.done.logType;
  }

  get source(): SchemaSource {
    return this.done.source;
  }
}

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
  const warnings: string[] = [];
  const problems: string[] = [];
  // A file whose name one line gives is compiled when a command first uses it; others now.
  const entries: Array<{ file: string; builtin: boolean; name: string; later: () => Compiled } | { file: string; builtin: boolean; now: Compiled }> = [];
  for (const f of BUILTIN_SCHEMA_FILES) {
    const file = join(dir, f);
    const b = bundled?.find((x) => x.file === f);
    const name = (b?.value as { schema?: unknown } | undefined)?.schema;
    if (b && typeof name === "string") {
      entries.push({ file, builtin: true, name, later: () => compileLoaded(file, { source: { file, text: b.text, value: b.value, builtin: true }, problems: [] }, yaml) });
      continue;
    }
    try {
      entries.push({ file, builtin: true, now: compileLoaded(file, await (yaml as LoadModule).readSchemaFile(file, true), yaml) });
    } catch (e) {
      problems.push(`${file}: cannot read: ${describeFsError(e)}`);
    }
  }
  for (const f of userFiles) {
    const y = yaml as LoadModule;
    const tooLarge = y.refuseIfTooLarge(f, false);
    if (tooLarge) {
      entries.push({ file: f, builtin: false, now: compileLoaded(f, tooLarge, yaml) });
      continue;
    }
    let text: string;
    try {
      text = await readFile(f, "utf8");
    } catch (e) {
      problems.push(`${f}: cannot read: ${describeFsError(e)}`);
      continue;
    }
    const name = scannedName(text);
    if (name !== undefined) entries.push({ file: f, builtin: false, name, later: () => compileLoaded(f, y.parseSchemaText(text, f, false), yaml) });
    else entries.push({ file: f, builtin: false, now: compileLoaded(f, y.parseSchemaText(text, f, false), yaml) });
  }

  const byName = new Map<string, { type: LoadedType; builtin: boolean; file: string }>();
  for (const entry of entries) {
    let type: LoadedType;
    if ("later" in entry) {
      const { later } = entry;
      type = new LazyType(entry.name, entry.file, () => {
        const r = later();
        warnings.push(...r.warnings);
        return r;
      });
    } else {
      const r = entry.now;
      problems.push(...r.problems);
      warnings.push(...r.warnings);
      if (!r.logType || !r.source || r.problems.length > 0) continue;
      type = { name: r.logType.name, logType: r.logType, source: r.source };
    }
    const prev = byName.get(type.name);
    if (prev && !prev.builtin) {
      problems.push(`${entry.file}: log type ${type.name} is already defined in ${prev.file} [duplicate-log-type]`);
      continue;
    }
    if (prev) warnings.push(`note: ${entry.file} replaces the built-in log type ${type.name}`);
    byName.set(type.name, { type, builtin: entry.builtin, file: entry.file });
  }
  if (problems.length > 0) throw schemaProblems(problems);
  return { types: [...byName.values()].map((x) => x.type), warnings };
}

/**
 * Picks log types by name, in the order given; unknown names are a usage error. The picked
 * types are compiled here, so their problems (all of them, one error) and warnings come before
 * any input is read.
 */
export function selectTypes(all: readonly LoadedType[], names: readonly string[] | undefined): LoadedType[] {
  let out: LoadedType[];
  if (!names || names.length === 0) {
    out = [...all];
  } else {
    out = [];
    for (const name of names) {
      const t = all.find((x) => x.name === name);
      if (!t) {
        throw new UsageError(`unknown log type "${name}"`, [`available: ${all.map((x) => x.name).join(", ")}`]);
      }
      if (!out.includes(t)) out.push(t);
    }
  }
  const problems: string[] = [];
  for (const t of out) {
    try {
      void t.logType;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      problems.push(...e.details);
    }
  }
  if (problems.length > 0) throw schemaProblems(problems);
  return out;
}

export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT") return `${err.path ?? "file"}: no such file or directory`;
  if (err.code === "EACCES") return `${err.path ?? "file"}: permission denied`;
  if (err.code === "EISDIR") return `${err.path ?? "path"}: is a directory`;
  return err.message ?? String(e);
}
