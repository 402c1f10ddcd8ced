/**
 * Reading a configuration file (schema, test file, sources file) with a size cap counted in
 * bytes read, not taken from the file's size: a device, a pipe or a file that grows while it is
 * read cannot make hexlog read without end.
 */
import { closeSync, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** A file over the cap, or not something configuration can be read from. */
export class CappedReadError extends Error {
  override readonly name = "CappedReadError";

  constructor(
    readonly file: string,
    message: string,
    readonly tooLarge: boolean,
  ) {
    super(message);
  }
}

/** What a file is, in words, when it is neither a regular file nor a pipe. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

const STEP = 64 * 1024;

/**
 * The bytes of `file`, at most `maxBytes` of them. Throws CappedReadError when there are more
 * (`tooLarge`) or when the file is a device, a directory or a socket; fs errors (ENOENT, EACCES)
 * are thrown as they come, for the caller's words.
 */
export function readCapped(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isFIFO()) throw new CappedReadError(file, `${kindOf(st)}, not a file`, false);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte past the cap says there is more.
      const buf = Buffer.allocUnsafe(Math.min(STEP, maxBytes + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n < buf.length ? buf.subarray(0, n) : buf);
      total += n;
      if (total > maxBytes) throw new CappedReadError(file, `larger than ${formatBytes(maxBytes)}`, true);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1048576 && n % 1048576 === 0) return `${n / 1048576} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
