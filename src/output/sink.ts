/**
 * Batched, back-pressure-aware writing to a stream (stdout, stderr, a dead-letter file).
 * Lines are collected per input chunk and written in one call; when the stream's buffer is full
 * the caller awaits `flush()`, so a slow consumer slows reading instead of growing memory.
 * A closed pipe (EPIPE, e.g. `| head`) is not an error: the sink just reports `closed`.
 */
import type { Writable } from "node:stream";

export class LineSink {
  private parts: string[] = [];
  private size = 0;
  closed = false;
  failure: Error | undefined;

  constructor(private readonly stream: Writable) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      this.closed = true;
      if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") this.failure = e;
    });
  }

  /** Appends one line (without its newline). */
  writeLine(line: string): void {
    if (this.closed) return;
    this.parts.push(line);
    this.size += line.length + 1;
  }

  get pending(): number {
    return this.size;
  }

  async flush(): Promise<void> {
    if (this.closed || this.parts.length === 0) return;
    const text = `${this.parts.join("\n")}\n`;
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(text) && !this.closed) {
      await drained(this.stream);
    }
  }

  /**
   * Flushes and resolves once the lines have been handed to the file or pipe (not merely
   * buffered in the stream), for callers that acknowledge data to someone else (hexlog serve).
   */
  async flushWritten(): Promise<void> {
    if (this.closed || this.parts.length === 0) return;
    const text = `${this.parts.join("\n")}\n`;
    this.parts = [];
    this.size = 0;
    await new Promise<void>((resolve) => this.stream.write(text, () => resolve()));
  }

  /** Flushes and, for files, closes the stream and waits until the data is on disk. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => this.stream.end(resolve));
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
