/**
 * How many bytes a run's inputs hold, known before reading them: used to leave small inputs on
 * one thread, where starting workers would cost more than they save.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";

/**
 * The total size of the inputs (`-` or none: stdin) when each is a regular, uncompressed file;
 * undefined when some size is not known up front (a pipe, a terminal, a directory, gzip, an
 * unreadable path: reading it reports the problem).
 */
export function knownInputBytes(paths: readonly string[]): number | undefined {
  const list = paths.length === 0 ? ["-"] : paths;
  let total = 0;
  for (const p of list) {
    const size = regularPlainFileSize(p);
    if (size === undefined) return undefined;
    total += size;
  }
  return total;
}

function regularPlainFileSize(path: string): number | undefined {
  let fd: number | undefined;
  try {
    if (path !== "-" && !statSync(path).isFile()) return undefined;
    fd = path === "-" ? 0 : openSync(path, "r");
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    // A gzip file holds more than its size says.
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    if (n === 2 && head[0] === 0x1f && head[1] === 0x8b) return undefined;
    return st.size;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined && fd !== 0) closeSync(fd);
  }
}
