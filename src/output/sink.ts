/**
 * Batched, back-pressure-aware writing to a stream (stdout, stderr, a dead-letter file).
 * Lines are collected per input chunk and written in one call; when the stream's buffer is full
 * the caller awaits `flush()`, so a slow consumer slows reading instead of growing memory.
 * A closed pipe (EPIPE, e.g. `| head`) is not an error: the sink just reports `closed`.
 */
import type { Writable } from "node:stream";

/**
 * Lines held before they are joined and written: the joined text stays a small string, which
 * V8 allocates and frees far more cheaply than one in its large-object space (text logs, whose
 * records are several times their input, parse 12 % faster than with a write per input chunk).
 */
const PENDING_CHARS = 32 * 1024;

export class LineSink {
  private parts: string[] = [];
  private size = 0;
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
  }

  private failed(e: NodeJS.ErrnoException): void {
    this.closed = true;
    if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") this.failure ??= e;
  }

  /** Appends one line (without its newline). */
  writeLine(line: string): void {
    if (this.closed) return;
    this.parts.push(line);
    this.size += line.length + 1;
    if (this.size > PENDING_CHARS) this.writePending();
  }

  /**
   * Writes bytes that hold whole lines, after the lines appended before them. `done` runs once
   * the stream is finished with them (so the buffer can be reused).
   */
  writeBytes(bytes: Uint8Array, done: () => void): void {
    if (this.closed) return done();
    if (this.parts.length > 0) this.writePending();
    if (!this.stream.write(bytes, () => done())) this.full = true;
  }

  /**
   * Bytes handed to this sink and not yet to the file or pipe: lines still collected here
   * (counted as characters) and the stream's own buffer.
   */
  get pendingBytes(): number {
    return this.stream.writableLength + this.size;
  }

  /**
   * Resolves once at most `limit` bytes are pending (or the stream closed or failed), so a
   * producer can wait for the output before making more lines instead of buffering them. A
   * limit under the stream's highWaterMark counts as that mark.
   */
  async waitForRoom(limit: number): Promise<void> {
    if (this.parts.length > 0 && this.pendingBytes > limit) this.writePending();
    // 'drain' comes only once the stream's buffer has emptied, which is at or under any limit.
    while (!this.closed && this.pendingBytes > limit && this.stream.writableNeedDrain) {
      // One listener however many wait (a thousand requests may).
      this.drainWait ??= drained(this.stream).finally(() => (this.drainWait = undefined));
      await this.drainWait;
    }
  }

  async flush(): Promise<void> {
    if (this.closed) return;
    if (this.parts.length > 0) this.writePending();
    if (this.full) {
      this.full = false;
      // It may have drained already if the caller awaited something else since writing.
      if (!this.closed && this.stream.writableNeedDrain) await drained(this.stream);
    }
  }

  private writePending(): void {
    const text = `${this.parts.join("\n")}\n`;
    this.parts = [];
    this.size = 0;
    this.unconfirmed = true;
    if (!this.stream.write(text)) this.full = true;
  }

  /**
   * Flushes and resolves once the lines have been handed to the file or pipe (not merely
   * buffered in the stream), for callers that acknowledge data to someone else (hexlog serve):
   * true when they were, false when the stream failed or closed before they all were.
   */
  async flushWritten(): Promise<boolean> {
    if (this.closed) return this.parts.length === 0 && !this.unconfirmed;
    if (this.parts.length === 0 && !this.unconfirmed) return true;
    // Writes complete in order: once this one is done, so are those before it.
    const text = this.parts.length > 0 ? `${this.parts.join("\n")}\n` : "";
    this.parts = [];
    this.size = 0;
    this.unconfirmed = false;
    const error = await new Promise<Error | null | undefined>((resolve) => this.stream.write(text, (e) => resolve(e)));
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
