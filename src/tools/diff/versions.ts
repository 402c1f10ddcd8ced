/**
 * Reading the two sides of a schema diff: schema files and directories on disk, or the same
 * paths at a git revision (`git show REV:path`, so nothing is checked out). Each file is checked
 * as validate-schema checks it; an invalid one is reported and left out of the comparison.
 */
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { expandSchemaPaths } from "../../catalog/files.js";
import type { JsonSchemaCheck } from "../../language/json-schema.js";
import { parseSchemaText } from "../../language/yaml-source.js";
import { validateDocument, type Finding } from "../validate.js";
import { addedLogType, deletedLogType, diffSchemas, type SchemaVersion } from "./compare.js";

const run = promisify(execFile);

/** The readable schemas of one side, and the findings of the files that are not valid. */
export interface SchemaSet {
  versions: SchemaVersion[];
  /** Findings (errors) of files that could not be compared. */
  invalid: Finding[];
  /** The log type names of those files (undefined where even the name could not be read). */
  invalidNames?: Array<string | undefined>;
}

/** A problem reading a side at all (no such path, not a git revision): a usage error at the edge. */
export class VersionError extends Error {}

/** The largest schema file read from git (as on disk: MAX_SCHEMA_BYTES). */
const MAX_GIT_OUTPUT = 64 * 1024 * 1024;

/** Schemas from files and directories. */
export async function readSchemaSet(paths: readonly string[], jsonSchema: JsonSchemaCheck): Promise<SchemaSet> {
  let files: string[];
  try {
    files = await expandSchemaPaths(paths);
  } catch (e) {
    throw new VersionError(`cannot read ${(e as NodeJS.ErrnoException).path ?? paths.join(", ")}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
  }
  const set: SchemaSet = { versions: [], invalid: [] };
  for (const file of files) addVersion(set, await readFile(file, "utf8"), file, file, jsonSchema);
  return set;
}

/** Whether `against` names something on disk (else it is read as a git revision). */
export async function existsOnDisk(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The schema files under `paths` as they were at git revision `revision` (paths relative to
 * `cwd`, as the user typed them). Files that did not exist then are simply absent.
 */
export async function readGitSchemaSet(revision: string, paths: readonly string[], jsonSchema: JsonSchemaCheck, cwd = process.cwd()): Promise<SchemaSet> {
  const git = async (args: string[]): Promise<string> => {
    try {
      return (await run("git", args, { cwd, maxBuffer: MAX_GIT_OUTPUT, encoding: "utf8" })).stdout;
    } catch (e) {
      const err = e as { code?: string; stderr?: string };
      if (err.code === "ENOENT") throw new VersionError(`--against ${revision}: no such directory, and git is not installed to read it as a revision`);
      throw new VersionError(`--against ${revision}: ${firstLine(err.stderr ?? "") || "git failed"}`);
    }
  };
  try {
    await run("git", ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], { cwd });
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") throw new VersionError(`--against ${revision}: no such directory, and git is not installed to read it as a revision`);
    throw new VersionError(`--against ${revision}: neither a directory nor a git revision here`);
  }
  // `ls-tree` takes paths relative to the working directory and prints them so.
  const listed = await git(["ls-tree", "-r", "--name-only", "-z", revision, "--", ...paths]);
  const set: SchemaSet = { versions: [], invalid: [] };
  for (const file of listed.split("\0").filter((f) => /\.ya?ml$/i.test(f) && !/_tests\.ya?ml$/i.test(f))) {
    const text = await git(["show", `${revision}:./${file}`]);
    addVersion(set, text, file, `${revision}:${file}`, jsonSchema);
  }
  return set;
}

function addVersion(set: SchemaSet, text: string, file: string, label: string, jsonSchema: JsonSchemaCheck): void {
  const result = validateDocument(parseSchemaText(text, file), jsonSchema);
  if (result.logType && result.source) {
    set.versions.push({ schema: result.logType.schema, source: result.source, label });
    return;
  }
  for (const f of result.findings) if (f.severity === "error") set.invalid.push({ ...f, file: label });
  (set.invalidNames ??= []).push(result.declared?.name);
}

/**
 * Compares two sets: versions pair up by log type name; with one schema on each side, the two
 * are compared whatever their names (a renamed log type is then a finding). `unreadable`: names
 * of new schemas that are invalid (undefined: not even the name is known), which are not
 * deletions.
 */
export function diffSchemaSets(olds: readonly SchemaVersion[], news: readonly SchemaVersion[], unreadable: ReadonlyArray<string | undefined> = []): Finding[] {
  if (olds.length === 1 && news.length === 1 && unreadable.length === 0) return diffSchemas(olds[0] as SchemaVersion, news[0] as SchemaVersion);
  const oldByName = new Map(olds.map((v) => [v.schema.schema, v]));
  const findings: Finding[] = [];
  for (const next of news) {
    const old = oldByName.get(next.schema.schema);
    findings.push(...(old ? diffSchemas(old, next) : [addedLogType(next)]));
  }
  // An invalid new schema may still define an old log type (any of them when its name is unknown).
  const maybe = new Set(unreadable);
  if (maybe.has(undefined)) return findings;
  const newNames = new Set(news.map((v) => v.schema.schema));
  for (const old of olds) if (!newNames.has(old.schema.schema) && !maybe.has(old.schema.schema)) findings.push(deletedLogType(old));
  return findings;
}

function firstLine(s: string): string {
  return s.trim().split("\n")[0] ?? "";
}

/**
 * Breaking changes between two schema texts (the library's entry point): the findings of both
 * versions' own problems when one is invalid, else the changes, located in the new text.
 */
export async function diffSchemaTexts(old: { text: string; file: string }, next: { text: string; file: string }): Promise<Finding[]> {
  const { loadJsonSchemaCheck } = await import("../../language/json-schema.js");
  const jsonSchema = await loadJsonSchemaCheck();
  const a: SchemaSet = { versions: [], invalid: [] };
  const b: SchemaSet = { versions: [], invalid: [] };
  addVersion(a, old.text, old.file, old.file, jsonSchema);
  addVersion(b, next.text, next.file, next.file, jsonSchema);
  return [...a.invalid, ...b.invalid, ...diffSchemaSets(a.versions, b.versions, b.invalidNames)];
}
