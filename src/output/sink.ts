/**
 * Batched, back-pressure-aware writing to a stream (stdout, stderr, a dead-letter file).
 * Lines are collected per input chunk and written in one call; when the stream's buffer is full
 * the caller awaits `flush()`, so a slow consumer slows reading instead of growing memory.
 * A closed pipe (EPIPE, e.g. `| head`) is not an error: the sink just reports `closed`.
 */
import { WriteStream } from "node:fs";
import type { Writable } from "node:stream";

/**
 * Bytes of lines held before they are written: small writes keep the held bytes few (text logs,
 * whose records are several times their input, parse 12 % faster than with a write per input
 * chunk).
 */
const PENDING_BYTES = 32 * 1024;
/**
 * Lines are encoded straight into buffers of this size (a line fits while its UTF-16 length
 * times 3 does), reused where the stream allows: no joined string, no byte-length pass, no new
 * buffer per write, and held lines are bytes outside V8's heap, not strings its scavenges copy
 * (4–6 % less CPU for JSON logs). Longer lines go as strings.
 */
const BUFFER_BYTES = 64 * 1024;

export class LineSink {
  /** Where lines are encoded; `used` bytes of it are held. */
  private buffer: Buffer | undefined;
  private used = 0;
  /** Buffers the stream has finished with, for reuse. */
  private readonly free: Buffer[] = [];
  /** Whether the stream is done with a chunk once its write completed (see reusesBuffers). */
  private readonly reuse: boolean;
  /** The stream's buffer is full: the next flush waits for it to drain. */
  private full = false;
  /** Lines were written that flushWritten has not yet seen through to the file or pipe. */
  private unconfirmed = false;
  /** The one wait for 'drain' that waitForRoom's callers share. */
  private drainWait: Promise<void> | undefined;
  closed = false;
  failure: Error | undefined;

  constructor(private readonly stream: Writable) {
    stream.on("error", (e: NodeJS.ErrnoException) => this.failed(e));
    this.reuse = reusesBuffers(stream);
  }

  private failed(e: NodeJS.ErrnoException): void {
    this.closed = true;
    if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") this.failure ??= e;
  }

  /** Appends one line (without its newline). */
  writeLine(line: string): void {
    if (this.closed) return;
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
    const most = line.length * 3 + 1;
    let buffer = this.buffer;
    if (buffer === undefined || most > buffer.length - this.used) {
      if (this.used > 0) this.writePending();
      if (most > BUFFER_BYTES) {
        this.unconfirmed = true;
        if (!this.stream.write(`${line}\n`)) this.full = true;
        return;
      }
      buffer = this.buffer = this.free.pop() ?? Buffer.allocUnsafeSlow(BUFFER_BYTES);
    }
    let used = this.used + buffer.write(line, this.used);
    buffer[used++] = 0x0a;
    this.used = used;
    if (used > PENDING_BYTES) this.writePending();
  }

  /**
   * Writes bytes that hold whole lines, after the lines appended before them. `done` runs once
   * the stream is finished with them (so the buffer can be reused).
   */
  writeBytes(bytes: Uint8Array, done: () => void): void {
    if (this.closed) return done();
    if (this.used > 0) this.writePending();
    if (!this.stream.write(bytes, () => done())) this.full = true;
  }

  /**
   * Bytes handed to this sink and not yet to the file or pipe: lines still held here and the
   * stream's own buffer.
   */
  get pendingBytes(): number {
    return this.stream.writableLength + this.used;
  }

  /**
   * Resolves once at most `limit` bytes are pending (or the stream closed or failed), so a
   * producer can wait for the output before making more lines instead of buffering them. A
   * limit under the stream's highWaterMark counts as that mark.
   */
  async waitForRoom(limit: number): Promise<void> {
    if (this.used > 0 && this.pendingBytes > limit) this.writePending();
    // 'drain' comes only once the stream's buffer has emptied, which is at or under any limit.
    while (!this.closed && this.pendingBytes > limit && this.stream.writableNeedDrain) {
      // One listener however many wait (a thousand requests may).
      this.drainWait ??= drained(this.stream).finally(() => (this.drainWait = undefined));
      await this.drainWait;
    }
  }

  async flush(): Promise<void> {
    if (this.closed) return;
    if (this.used > 0) this.writePending();
    if (this.full) {
      this.full = false;
      // It may have drained already if the caller awaited something else since writing.
      if (!this.closed && this.stream.writableNeedDrain) await drained(this.stream);
    }
  }

  /** Hands the held bytes to the stream; their buffer is reused once the stream is done with it. */
  private writePending(callback?: (e: Error | null | undefined) => void): void {
    const buffer = this.buffer as Buffer;
    const bytes = buffer.subarray(0, this.used);
    this.used = 0;
    this.unconfirmed = true;
    if (!this.reuse) {
      this.buffer = undefined;
      if (!this.stream.write(bytes, callback)) this.full = true;
      return;
    }
    let kept = false;
    const ok = this.stream.write(bytes, (e) => {
      if (!kept && !e) this.free.push(buffer);
      callback?.(e);
    });
    if (!ok) this.full = true;
    // Written through to the file or pipe already (a synchronous stdout, a pipe with room):
    // the buffer takes the next lines at once. Its callback only comes on the next tick.
    if (this.stream.writableLength === 0) kept = true;
    else this.buffer = undefined;
  }

  /**
   * Flushes and resolves once the lines have been handed to the file or pipe (not merely
   * buffered in the stream), for callers that acknowledge data to someone else (hexlog serve):
   * true when they were, false when the stream failed or closed before they all were.
   */
  async flushWritten(): Promise<boolean> {
    if (this.closed) return this.used === 0 && !this.unconfirmed;
    if (this.used === 0 && !this.unconfirmed) return true;
    // Writes complete in order: once this one is done, so are those before it.
    const error = await new Promise<Error | null | undefined>((resolve) => {
      if (this.used > 0) this.writePending(resolve);
      else this.stream.write("", resolve);
      this.unconfirmed = false;
    });
    if (error) {
      this.closed = true;
      this.failure ??= error;
      return false;
    }
    return !this.closed;
  }

  /** Flushes and, for files, closes the stream and waits until the data is on disk. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    // end's callback hears of a failed last write before the 'error' event does.
    await new Promise<void>((resolve) =>
      this.stream.end((e?: Error | null) => {
        if (e) this.failed(e as NodeJS.ErrnoException);
        resolve();
      }),
    );
  }
}

/** Resolves on 'drain', or when the stream closes or fails (then there is nothing to wait for). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      stream.off("error", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}

/**
 * Whether `stream` writes each chunk to a file descriptor and holds no reference to it once the
 * write completed: stdout and stderr (a file, a pipe or a terminal) and files. Other streams
 * (a PassThrough, a test's collector) may keep the chunk, so their buffers are never reused.
 */
function reusesBuffers(stream: Writable): boolean {
  // stdout first: reading fs.WriteStream loads Node's file streams, which a run to stdout never needs.
  if (stream === process.stdout || stream === process.stderr) {
    const fd = (stream as { fd?: unknown }).fd;
    return fd === 1 || fd === 2;
  }
  return stream instanceof WriteStream;
}
