/**
 * Input paths as given on the command line: a directory stands for the files inside it (sorted,
 * recursively, hidden files and directories skipped), as `-s` and `validate-schema` read theirs.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export class InputPathError extends Error {}

export interface InputFile {
  path: string;
  /** Bytes of a regular file (undefined for stdin, pipes and devices): for progress. */
  size: number | undefined;
}

export function expandInputPaths(paths: readonly string[]): InputFile[] {
  const out: InputFile[] = [];
  for (const p of paths) {
    if (p === "-") {
      out.push({ path: p, size: undefined });
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputPathError(`cannot read ${p}: ${code === "EACCES" ? "permission denied" : "no such file or directory"}`);
    }
    if (st.isDirectory()) walk(p, out);
    else out.push({ path: p, size: st.isFile() ? st.size : undefined });
  }
  return out;
}

function walk(dir: string, out: InputFile[]): void {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(path, out);
    // Regular files only: a socket or device inside a directory is no log file.
    else if (e.isFile()) out.push({ path, size: statSync(path).size });
    else if (e.isSymbolicLink()) {
      try {
        const st = statSync(path);
        if (st.isFile()) out.push({ path, size: st.size });
      } catch {
        // A dangling link inside a directory is not an input.
      }
    }
  }
}
