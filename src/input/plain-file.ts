/**
 * A regular, uncompressed file read straight into the caller's buffers (`parse --workers` reads
 * each batch's bytes where the batch is built: no chunk to copy, one read per batch). Anything
 * else — stdin, a pipe, gzip, a path that cannot be opened — is left to readInput (open.ts),
 * which reports problems in its usual words.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { isGzipHead, toInputError } from "./open.js";

export class PlainFile {
  private constructor(
    private fd: number | undefined,
    readonly path: string,
  ) {}

  /** The file at `path` if it is a regular file whose first bytes are not gzip's, else undefined. */
  static open(path: string): PlainFile | undefined {
    if (path === "-") return undefined;
    let fd: number | undefined;
    try {
      // Looked at before it is opened: opening a named pipe would block until a writer came.
      if (!statSync(path).isFile()) return undefined;
      fd = openSync(path, "r");
      if (!fstatSync(fd).isFile()) throw new Error("not a regular file");
      const head = Buffer.alloc(2);
      if (readSync(fd, head, 0, 2, 0) === 2 && isGzipHead(head)) throw new Error("gzip");
      const file = new PlainFile(fd, path);
      fd = undefined;
      return file;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Reads the next bytes into `into`: how many, 0 at the end. A failure is an InputError. */
  read(into: Uint8Array): number {
    if (this.fd === undefined) return 0;
    try {
      return readSync(this.fd, into, 0, into.length, null);
    } catch (e) {
      throw toInputError(this.path, e);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
