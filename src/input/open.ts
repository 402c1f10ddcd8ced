/**
 * Input sources: a file or stdin (`-`), read in large chunks, transparently gunzipped
 * when its first bytes are the gzip magic number (whatever the file is called).
 */

import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { GzipError, gunzipChunks } from "./gunzip.js";

/** An input that could not be read; `message` is one line, ready for the user. */
export class InputError extends Error {
  override readonly name = "InputError";

  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Bytes per read (and per gunzip output chunk). */
const CHUNK_BYTES = 64 * 1024;

/** Whether these first bytes of an input are gzip's magic number (however the file is named). */
export function isGzipHead(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export interface ReadOptions {
  /**
   * The caller is done with each chunk before it asks for the next (it copies what it keeps),
   * so a regular file may be read into one buffer over and over: no garbage per chunk.
   */
  reuse?: boolean | undefined;
}

/**
 * The bytes of an input (`-` is stdin), decompressed if it is gzip. Failures reject the
 * iteration with an `InputError`. When `signal` aborts (Ctrl-C), the iteration ends at once,
 * even while it waits for input that may never come (an idle pipe).
 */
export function readInput(path: string, signal?: AbortSignal, options: ReadOptions = {}): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator]: () => {
      const file = openRegularFile(path);
      // A regular file never blocks for long: a reader sees Ctrl-C between its chunks.
      if (file !== undefined) return regularFile(file, path, options.reuse === true);
      const source = path === "-" ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
      const chunks = decompressed(source, path, path !== "-");
      return signal ? untilAborted(chunks, signal, source) : chunks;
    },
  };
}

async function* untilAborted(chunks: AsyncGenerator<Buffer, void, undefined>, signal: AbortSignal, source: Readable): AsyncGenerator<Buffer, void, undefined> {
  // One promise per wait: racing each read against a single long-lived "aborted" promise would
  // keep every chunk reachable from it.
  let wake: (() => void) | undefined;
  const onAbort = (): void => wake?.();
  signal.addEventListener("abort", onAbort, { once: true });
  let waiting: Promise<IteratorResult<Buffer, void>> | undefined;
  try {
    while (!signal.aborted) {
      const next = chunks.next();
      waiting = next;
      const r = await new Promise<IteratorResult<Buffer, void> | undefined>((resolve, reject) => {
        wake = () => resolve(undefined);
        next.then(resolve, reject);
      });
      wake = undefined;
      if (r === undefined) return;
      waiting = undefined;
      if (r.done) return;
      yield r.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (waiting) {
      // A read is still pending: end it by closing the source; its outcome no longer matters.
      waiting.catch(() => undefined);
      chunks.return().catch(() => undefined);
      source.destroy();
    } else {
      await chunks.return();
    }
  }
}

/**
 * The descriptor of `path` (or of stdin redirected from a file) when it is a regular file, else
 * undefined: pipes, terminals and devices are read as streams, which never block.
 */
function openRegularFile(path: string): number | undefined {
  let fd: number;
  try {
    // Looked at before it is opened: opening a named pipe to probe it, then closing it, would
    // block until a writer comes and could kill that writer with SIGPIPE.
    if (path !== "-" && !statSync(path).isFile()) return undefined;
    fd = path === "-" ? 0 : openSync(path, "r");
  } catch {
    return undefined; // the stream path reports the error in its usual words
  }
  try {
    if (fstatSync(fd).isFile()) return fd;
  } catch {
    // fall through to the stream path
  }
  if (path !== "-") closeSync(fd);
  return undefined;
}

/** Chunks handed out between turns of the event loop (so Ctrl-C and timers still run). */
const CHUNKS_PER_TURN = 16;

/**
 * A regular file, read with synchronous reads into fresh buffers: three times cheaper than a
 * read stream (no thread-pool round trip per chunk), and a local file read never stalls for
 * long. gzip files go through the stream path.
 */
async function* regularFile(fd: number, path: string, reuse: boolean): AsyncGenerator<Buffer, void, undefined> {
  try {
    const first = readChunk(fd, path);
    if (first !== undefined && isGzipHead(first)) {
      yield* decompressed(Readable.from(chunksFrom(fd, path, first), { objectMode: false }), path, true);
      return;
    }
    let n = 0;
    for (const chunk of chunksFrom(fd, path, first, reuse)) {
      yield chunk;
      if (++n % CHUNKS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    if (path !== "-") closeSync(fd);
  }
}

/** The chunks of a file after `first`; with `reuse`, each is read into the buffer of the one before. */
function* chunksFrom(fd: number, path: string, first: Buffer | undefined, reuse = false): Generator<Buffer, void, undefined> {
  // One Buffer object too: making a view per chunk showed in profiles (~1 %).
  const whole = reuse && first !== undefined ? Buffer.from(first.buffer, first.byteOffset, CHUNK_BYTES) : undefined;
  for (let chunk = first; chunk !== undefined; chunk = readChunk(fd, path, whole)) yield chunk;
}

function readChunk(fd: number, path: string, into?: Buffer): Buffer | undefined {
  const buf = into ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  let n: number;
  try {
    n = readSync(fd, buf, 0, CHUNK_BYTES, null);
  } catch (e) {
    throw toInputError(path, e);
  }
  return n === 0 ? undefined : n < CHUNK_BYTES ? buf.subarray(0, n) : buf;
}

/**
 * The same for an already open stream (an HTTP request body, a test's stream); `path` names it
 * in error messages. The stream is destroyed when iteration stops early.
 */
export function readStream(source: Readable, path: string): AsyncIterable<Buffer> {
  return { [Symbol.asyncIterator]: () => decompressed(source, path, true) };
}

async function* decompressed(source: Readable, path: string, owned: boolean): AsyncGenerator<Buffer, void, undefined> {
  try {
    const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    const next = async (): Promise<Buffer | undefined> => {
      const r = await chunks.next();
      if (r.done) return undefined;
      return typeof r.value === "string" ? Buffer.from(r.value, "utf8") : r.value;
    };

    // The magic number may arrive split over the first chunks (a pipe can deliver one byte).
    let head: Buffer = Buffer.alloc(0);
    while (head.length < 2) {
      const chunk = await next();
      if (chunk === undefined) break;
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    }

    if (!isGzipHead(head)) {
      if (head.length > 0) yield head;
      for (let chunk = await next(); chunk !== undefined; chunk = await next()) yield chunk;
      return;
    }

    yield* gunzipChunks(head, next, CHUNK_BYTES);
  } catch (e) {
    throw toInputError(path, e);
  } finally {
    if (owned) source.destroy();
  }
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EIO: "input/output error",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "file name too long",
};

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function toInputError(path: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  const name = path === "-" ? "stdin" : path;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const detail = oneLine(e instanceof Error ? e.message : String(e));
  if (e instanceof GzipError) return new InputError(path, `${name}: ${e.message}`);
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new InputError(path, `${name}: corrupt gzip data (${detail})`);
  }
  const reason = (code !== undefined && REASONS[code]) || detail;
  return new InputError(path, `cannot read ${name}: ${reason}`);
}
