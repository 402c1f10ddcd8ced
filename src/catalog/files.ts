/** Where schemas live on disk: user paths (files, directories) and the built-in set. */
// fs.promises, not node:fs/promises: Node loads it on first use, and a run of the built-ins never
// does (node:fs/promises loads node:readline's internals too: ~1 % of a one-event parse).
import { promises as fsp, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { MAX_SCHEMA_BYTES } from "../language/schema-limits.js";
import { schemasDir } from "../language/schemas-dir.js";
import type { LogSchema } from "../language/types.js";

/** The folder holding the built-in schemas shipped with hexlog. */
export const builtinSchemaDir = schemasDir;

export function isSchemaFileName(name: string): boolean {
  const ext = extname(name);
  if (ext !== ".yml" && ext !== ".yaml") return false;
  // pantherlog test files live next to schemas; they are not schemas.
  return !isTestFileName(name);
}

/** Expands files and directories (recursively) into schema file paths, in a stable order. */
export async function expandSchemaPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await fsp.stat(p);
    if (st.isDirectory()) {
      await walk(p, out);
    } else {
      out.push(p);
    }
  }
  return out;
}

/** pantherlog test files (`*_tests.yml`, `*_tests.yaml`) under a directory, recursively, in a stable order. */
export async function findTestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  await walk(dir, out, isTestFileName);
  return out;
}

export function isTestFileName(name: string): boolean {
  return /_tests\.ya?ml$/.test(name);
}

async function walk(dir: string, out: string[], accept: (name: string) => boolean = isSchemaFileName): Promise<void> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) await walk(full, out, accept);
    else if (e.isFile() && accept(e.name)) out.push(full);
  }
}

/**
 * The built-in log types are the schema files of schemas/. Classification tries these first, in
 * this order (the product's own log types before those of its neighbours); any other schema
 * file in the folder comes after them, by name. Adding a built-in is adding its file.
 */
const CLASSIFIED_FIRST = ["Hex.Audit.yml", "Auth0.Events.yml", "Panther.Audit.yml"];

/** Schema file names of the built-in folder, in the order classification tries them. */
export function orderBuiltinFiles(inFolder: readonly string[]): string[] {
  const first = CLASSIFIED_FIRST.filter((f) => inFolder.includes(f));
  const rest = inFolder.filter((f) => !CLASSIFIED_FIRST.includes(f)).sort();
  return [...first, ...rest];
}

/** The built-in schema files: the bundle's (built; null: ignore it), else the folder's, in classification order. */
export function builtinSchemaFiles(bundled: readonly BundledSchema[] | null | undefined = readBundledSchemas()): string[] {
  if (bundled) return bundled.map((b) => b.file);
  return orderBuiltinFiles(readdirSync(schemasDir()).filter(isSchemaFileName));
}

export function defaultSchemaName(file: string): string {
  return basename(file).replace(/\.ya?ml$/, "");
}

/** A built-in schema as bundled at build time (scripts/bundle-schemas.mjs): no YAML parser needed. */
export interface BundledSchema {
  file: string;
  text: string;
  value: unknown;
  /** The log type's name, present when the build checked the schema (it then has no findings). */
  name?: string;
  description?: string;
  /** What checkSchema made of `value` at build time (present with `name`): compiled as is. */
  checked?: LogSchema;
}

/** The built-in schemas bundled next to the compiled code, or undefined when not built. */
export function readBundledSchemas(): BundledSchema[] | undefined {
  try {
    const url = new URL("../builtin-schemas.json", import.meta.url);
    return JSON.parse(readFileSync(url, "utf8")) as BundledSchema[];
  } catch {
    return undefined;
  }
}

/**
 * A schema file's bytes for its cache key: a regular file within the schema size limit, read
 * whole; undefined for anything else (which is then read and checked as before, uncached).
 */
export async function readCacheableSchema(file: string): Promise<Buffer | undefined> {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_SCHEMA_BYTES) return undefined;
    const bytes = await fsp.readFile(file);
    return bytes.length > MAX_SCHEMA_BYTES ? undefined : bytes;
  } catch {
    return undefined;
  }
}
