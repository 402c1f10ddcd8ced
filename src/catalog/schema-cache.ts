/**
 * What checking a schema file found, kept on disk so that a run over a directory of schemas
 * does not read, check and compile the unchanged ones again: one JSON file per outcome, named
 * by the SHA-256 of the hexlog build and the file's bytes, so an edit or another build is a miss
 * (never a stale answer). Under `HEXLOG_CACHE_DIR`, else `$XDG_CACHE_HOME/hexlog`, else
 * `~/.cache/hexlog`; off with `--no-cache` or when the build has no id (dist/build-id.txt).
 *
 * Safe by construction: an entry is written to a temporary file and renamed into place (a
 * reader sees a whole file or none; two writers write the same bytes), and an entry is used only
 * when it parses, names its own key and has the expected shape — anything else is a miss. A
 * cache that cannot be written (read-only home, full disk) is simply not written.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildId, schemaCacheDir } from "./cache-dir.js";

export { schemaCacheDir };

/** Bumped when an entry's shape changes. */
const FORMAT = 1;

let disabled = false;

/** `--no-cache`: this process neither reads nor writes the cache. */
export function disableSchemaCache(): void {
  disabled = true;
}

export interface SchemaCache {
  readonly dir: string;
  /** The key of a file's outcome for one use (`load`, `validate`): the build, the use and the bytes. */
  key(use: string, bytes: Uint8Array): string;
  /** The entry stored under the key, or undefined (absent, unreadable, or not what was stored). */
  get(key: string): Record<string, unknown> | undefined;
  put(key: string, entry: Record<string, unknown>): void;
}

/** The cache, or undefined when off (--no-cache, no build id: under the tests' ts sources). */
export function openSchemaCache(env: NodeJS.ProcessEnv = process.env): SchemaCache | undefined {
  if (disabled) return undefined;
  const id = buildId();
  if (id === undefined) return undefined;
  return makeSchemaCache(schemaCacheDir(env), id);
}

export function makeSchemaCache(dir: string, build: string): SchemaCache {
  const pathOf = (key: string): string => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    dir,
    key(use, bytes) {
      return createHash("sha256").update(`hexlog-schema-cache ${FORMAT} ${build} ${use}\0`).update(bytes).digest("hex");
    },
    get(key) {
      let text: string;
      try {
        text = readFileSync(pathOf(key), "utf8");
      } catch {
        return undefined;
      }
      try {
        const entry = JSON.parse(text) as unknown;
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return undefined;
        const e = entry as Record<string, unknown>;
        return e.key === key && e.format === FORMAT ? e : undefined;
      } catch {
        return undefined;
      }
    },
    put(key, entry) {
      const file = pathOf(key);
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
        writeFileSync(tmp, JSON.stringify({ ...entry, format: FORMAT, key }));
        renameSync(tmp, file);
      } catch {
        // A cache that cannot be written is no error: the next run checks the file again.
        try {
          rmSync(tmp, { force: true });
        } catch {
          // Nothing was written there.
        }
      }
    },
  };
}
