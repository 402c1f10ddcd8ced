/**
 * Loads log types: the built-in schemas, then the user's schema files. Problems (an unreadable
 * file, an invalid schema, a name defined twice) come back as values located at
 * file:line:column, each naming the log type it keeps out of the run; what a command makes of
 * them is the command's business (one invalid schema never blocks the others).
 */
import { join } from "node:path";
import { buildCheckedLogType, buildLogType, prepareFor, type LogType } from "../engine/logtype.js";
import { builtinSchemaDir, builtinSchemaFiles, defaultSchemaName, expandSchemaPaths, readBundledSchemas, readCacheableSchema } from "./files.js";
import { CappedReadError } from "../language/read-capped.js";
import type { SchemaCache } from "./schema-cache.js";
import type { SchemaSource, YamlProblem } from "../language/yaml-source.js";
import { suggest } from "../language/suggest.js";
import type { SchemaIssue } from "../language/types.js";

type LoadModule = typeof import("../language/yaml-source.js");

export interface LoadedType {
  /** The log type's name, known without compiling it. */
  readonly name: string;
  /** The compiled log type: a built-in or a cached schema compiles on first use. */
  readonly logType: LogType;
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
  /** Outcomes of checking schema files, kept between runs (the command line's; the library keeps none). */
  cache?: SchemaCache | undefined;
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
  const cache = options.cache;
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
  // The YAML reader is loaded only when a schema must be read as YAML: built-ins come bundled as
  // JSON, and a cached outcome needs no reading either.
  const bundled = readBundledSchemas();
  let yaml: LoadModule | undefined;
  const yamlModule = async (): Promise<LoadModule> => (yaml ??= await import("../language/yaml-source.js"));
  const sources: Array<{ file: string; read: () => Promise<Outcome> }> = [];
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
    if (b?.name !== undefined) {
      // Checked by the build: compiled only when a run uses it.
      const source: SchemaSource = { file, text: b.text, value: b.value, builtin: true };
      const value = b.value;
      const checked = b.checked;
      const build = checked ? () => mustCompile(buildCheckedLogType(checked, true), file) : () => mustBuild(value, defaultSchemaName(f), file);
      sources.push({ file, read: async () => ({ kind: "known", source, name: b.name as string, problems: [], warnings: [], build }) });
      continue;
    }
    sources.push({
      file,
      read: async () => ({ kind: "yaml", ...(b ? { source: { file, text: b.text, value: b.value, builtin: true }, problems: [] } : await (await yamlModule()).readSchemaFile(file, true)) }),
    });
  }
  for (const f of userFiles) {
    const bytes = await readCacheableSchema(f);
    if (bytes === undefined) {
      // Too large, not a regular file, unreadable: the full read says what is wrong.
      sources.push({ file: f, read: async () => ({ kind: "yaml", ...(await (await yamlModule()).readSchemaFile(f, false)) }) });
      continue;
    }
    const text = bytes.toString("utf8");
    if (only) {
      const name = scannedSchemaName(text);
      if (name !== undefined && !only.has(name)) {
        skipped.push({ at: sources.length, name });
        continue;
      }
    }
    sources.push({
      file: f,
      read: async () => {
        // A schema without `schema:` is named after its file: the name is part of the key.
        const key = cache?.key(`load ${defaultSchemaName(f)}`, bytes);
        const hit = key === undefined ? undefined : fromCache(cache?.get(key), f, text);
        if (hit) return hit;
        return { kind: "yaml", ...(await yamlModule()).parseSchemaText(text, f, false), store: key };
      },
    });
  }

  const byName = new Map<string, LoadedType>();
  const problems: SchemaProblem[] = [];
  /** Names defined by two user files, with the first file. */
  const duplicated = new Map<string, string>();
  const warnings: string[] = [];
  const names: string[] = [];
  for (const [at, { file, read }] of sources.entries()) {
    while (skipped.length > 0 && (skipped[0] as { at: number }).at <= at) names.push((skipped.shift() as { name: string }).name);
    let loaded: Outcome;
    try {
      loaded = await read();
      // The parsers its schema names, if any, are loaded now: it compiles synchronously, now or on first use.
      await prepareFor([loaded.source.value]);
    } catch (e) {
      problems.push({ file, rule: "unreadable", message: `cannot read: ${describeFsError(e)}` });
      continue;
    }
    const known = loaded.kind === "known" ? loaded : check(loaded, file, yaml);
    if (loaded.kind === "yaml" && loaded.store !== undefined && cache) storeOutcome(cache, loaded.store, known);
    problems.push(...known.problems);
    for (const w of known.warnings) if (!ADVICE_RULES.has(w.rule)) warnings.push(`warning: ${formatSchemaProblem(w)}`);
    if (!known.build) continue;
    const name = known.name;
    const prev = byName.get(name);
    const first = prev && !prev.source.builtin ? prev.source.file : duplicated.get(name);
    if (first !== undefined) {
      // Which of the definitions a test or -t means is unclear, so all of them are out of the run.
      problems.push({ file, rule: "duplicate-log-type", message: `log type ${name} is already defined in ${first}`, logType: name });
      duplicated.set(name, first);
      byName.delete(name);
      continue;
    }
    if (prev) warnings.push(`note: ${file} replaces the built-in log type ${name}`);
    byName.set(name, lazyType(name, known.source, known.build));
    if (!names.includes(name)) names.push(name);
  }
  names.push(...skipped.map((s) => s.name));
  return { types: [...byName.values()], warnings, problems, names };
}

/** A schema read as YAML (to be checked), or one whose checking is already known. */
type Outcome =
  | { kind: "yaml"; source: SchemaSource; problems: YamlProblem[]; /** The cache key to store the outcome under. */ store?: string | undefined }
  | Known;

/** What checking a schema found: its problems, or a log type (built on demand). */
interface Known {
  kind: "known";
  source: SchemaSource;
  name: string;
  problems: SchemaProblem[];
  /** Findings that do not keep the schema out (advice rules among them, left out by the caller). */
  warnings: SchemaProblem[];
  /** Builds the log type; absent when a problem keeps the schema out of the run. */
  build?: (() => LogType) | undefined;
}

/** Checks and compiles a schema read as YAML: problems located at line:column. */
function check(loaded: { source: SchemaSource; problems: YamlProblem[] }, file: string, yaml: LoadModule | undefined): Known {
  const { source, problems: yamlProblems } = loaded;
  const named = nameOf(source.value, file);
  if (yamlProblems.length > 0) {
    // The YAML could not be read: the name is the `schema:` line's, if there is one to see.
    const unread = /^schema:[ \t]*["']?([A-Za-z0-9.]+)/m.exec(source.text)?.[1];
    return { kind: "known", source, name: named, warnings: [], problems: yamlProblems.map((p) => ({ file, line: p.line, col: p.col, rule: p.rule, message: p.message, logType: unread })) };
  }
  const { logType, issues } = buildLogType(source.value, defaultSchemaName(file), source.builtin);
  const problems: SchemaProblem[] = [];
  const warnings: SchemaProblem[] = [];
  for (const issue of issues) {
    const pos = yaml ? yaml.locate(source, issue.path, issue.atKey) : { line: 1, col: 1 };
    const problem = { file, line: pos.line, col: pos.col, rule: issue.rule, message: issue.message, logType: logType?.name ?? named };
    (issue.severity === "error" ? problems : warnings).push(problem);
  }
  const ok = logType !== undefined && problems.length === 0;
  return { kind: "known", source, name: logType?.name ?? named, problems, warnings, build: ok ? () => logType : undefined };
}

/** A log type whose compiling waits until a run uses it (pickTypes and names need only `name`). */
function lazyType(name: string, source: SchemaSource, build: () => LogType): LoadedType {
  let built: LogType | undefined;
  return {
    name,
    source,
    get logType(): LogType {
      return (built ??= build());
    },
  };
}

/** Builds a schema known to be valid (a built-in checked by the build, a cached outcome). */
function mustBuild(value: unknown, defaultName: string, file: string, builtin = true): LogType {
  return mustCompile(buildLogType(value, defaultName, builtin), file);
}

function mustCompile({ logType, issues }: { logType?: LogType; issues: SchemaIssue[] }, file: string): LogType {
  const error = issues.find((i) => i.severity === "error");
  if (!logType || error) throw new Error(`${file}: a schema checked before no longer compiles: ${error?.message ?? "no log type"}`);
  return logType;
}

/** A stored problem, without the file (the same bytes may sit at another path). */
interface StoredProblem {
  line?: number | undefined;
  col?: number | undefined;
  rule: string;
  message: string;
  logType?: string | undefined;
}

function storeOutcome(cache: SchemaCache, key: string, known: Known): void {
  // Only values JSON keeps as they are (YAML's .inf and .nan would come back as null).
  if (known.build && !plainJson(known.source.value)) return;
  const strip = ({ file: _file, ...rest }: SchemaProblem): StoredProblem => rest;
  cache.put(key, {
    name: known.name,
    problems: known.problems.map(strip),
    warnings: known.warnings.map(strip),
    ...(known.build ? { value: known.source.value } : {}),
  });
}

/** The outcome stored for these bytes, if the entry has the shape storeOutcome gives it. */
function fromCache(entry: Record<string, unknown> | undefined, file: string, text: string): Known | undefined {
  if (!entry || typeof entry.name !== "string") return undefined;
  const problems = storedProblems(entry.problems, file);
  const warnings = storedProblems(entry.warnings, file);
  if (!problems || !warnings) return undefined;
  const valid = problems.length === 0;
  if (valid && !("value" in entry)) return undefined;
  const value = entry.value;
  const source: SchemaSource = { file, text, value: valid ? value : null, builtin: false };
  return { kind: "known", source, name: entry.name, problems, warnings, build: valid ? () => mustBuild(value, defaultSchemaName(file), file, false) : undefined };
}

function storedProblems(list: unknown, file: string): SchemaProblem[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: SchemaProblem[] = [];
  for (const p of list as unknown[]) {
    if (typeof p !== "object" || p === null) return undefined;
    const { line, col, rule, message, logType } = p as Record<string, unknown>;
    if (typeof rule !== "string" || typeof message !== "string") return undefined;
    if ((line !== undefined && typeof line !== "number") || (col !== undefined && typeof col !== "number") || (logType !== undefined && typeof logType !== "string")) return undefined;
    out.push({ file, line, col, rule, message, logType });
  }
  return out;
}

/** Whether JSON would give the value back unchanged (no NaN, no infinity). */
function plainJson(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (Array.isArray(value)) return value.every(plainJson);
  if (typeof value === "object") return Object.getPrototypeOf(value) === Object.prototype && Object.values(value as object).every(plainJson);
  return false;
}

/**
 * The loaded name closest to an unknown one: the same name in another case (names are
 * case-sensitive: they name tables downstream), else the nearest by edit distance.
 */
export function closestTypeName(all: readonly LoadedType[], name: string): string | undefined {
  const known = all.map((x) => x.name);
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
    const t = all.find((x) => x.name === name);
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
  await prepareFor([source.value]);
  const { logType, issues } = buildLogType(source.value, defaultSchemaName(file));
  const problems: SchemaProblem[] = [];
  const warnings: SchemaProblem[] = [];
  for (const issue of issues) {
    const pos = yaml.locate(source, issue.path, issue.atKey);
    (issue.severity === "error" ? problems : warnings).push({ file, line: pos.line, col: pos.col, rule: issue.rule, message: issue.message });
  }
  return problems.length > 0 || !logType ? { problems, warnings } : { logType, problems, warnings };
}
