/**
 * Cuts an input's bytes into batches of whole lines for parallel parsing (`parse --workers`).
 * Only newlines are looked for — no decoding, no JSON — so the reading thread stays cheap.
 *
 * Chunks are copied as they arrive into a buffer of the batch size (or a regular file is read
 * straight into it: read()); when it is full, the batch
 * ends after its last newline, preferably one followed by `{` (a value starting at column 0,
 * where NDJSON and pretty-printed values begin, so framing state rarely crosses the cut), and
 * the bytes after the cut start the next buffer. A line longer than a batch is cut where the
 * buffer ends; the next batch then says it starts mid-line.
 */

export interface Batch {
  /** The bytes: a view from offset 0 of a buffer of their own (it can be transferred). */
  bytes: Uint8Array;
  /** Physical line number (1-based) of the first byte. */
  firstLine: number;
  /** The batch starts in the middle of a line begun by the previous batch. */
  midLine: boolean;
  /** The last batch of the input (possibly empty): framing ends after it. */
  last: boolean;
}

const NEWLINE = 10;
const NEWLINE_BRACE = Buffer.from("\n{");

export class LineBatcher {
  private buf: Buffer | undefined;
  private len = 0;
  private line = 1;
  private midLine = false;

  /**
   * `size`: bytes per batch (at most). `alloc` gives the buffers batches are built in, at least
   * `size` bytes each (a caller may recycle those of batches it is done with).
   */
  constructor(
    private readonly size: number,
    private readonly alloc: (size: number) => Uint8Array = (n) => new Uint8Array(n),
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  }

  /** Adds a chunk of the input, appending the batches it completes to `out`. */
  push(chunk: Uint8Array, out: Batch[]): void {
    for (let at = 0; at < chunk.length; ) {
      const buf = (this.buf ??= this.fresh());
      const n = Math.min(this.size - this.len, chunk.length - at);
      buf.set(chunk.subarray(at, at + n), this.len);
      this.len += n;
      at += n;
      if (this.len === this.size) this.cut(out, this.cutPoint(buf));
    }
  }

  /**
   * Reads the next bytes straight into the batch being built, instead of copying a chunk there:
   * `read` fills the space it is given and says how many bytes it wrote (0 at the end of the
   * input). Appends the batch this completes, if any, to `out`; returns the bytes read. Batches
   * are cut as push() cuts them, whatever mix of the two fed them.
   */
  read(read: (into: Uint8Array) => number, out: Batch[]): number {
    const buf = (this.buf ??= this.fresh());
    const n = read(buf.subarray(this.len, this.size));
    this.len += n;
    if (this.len === this.size) this.cut(out, this.cutPoint(buf));
    return n;
  }

  /** Appends a batch of the complete lines held back (when input stalls or stops early). */
  flushLines(out: Batch[]): void {
    if (!this.buf || this.len === 0) return;
    const nl = this.buf.lastIndexOf(NEWLINE, this.len - 1);
    if (nl >= 0) this.cut(out, nl + 1);
  }

  /** Ends the input: appends its last batch, empty if nothing is left. */
  end(out: Batch[]): void {
    const buf = this.buf ?? this.fresh();
    out.push(this.batch(buf, this.len, true));
    this.buf = undefined;
    this.len = 0;
    this.line = 1;
    this.midLine = false;
  }

  /** Where a full buffer is cut: after a newline, else (one long line) at its end. */
  private cutPoint(buf: Buffer): number {
    // Before `{` at column 0, unless that would make the batch small.
    let nl = buf.lastIndexOf(NEWLINE_BRACE, this.len - 1);
    if (nl < this.len / 2) nl = buf.lastIndexOf(NEWLINE, this.len - 1);
    return nl >= 0 ? nl + 1 : this.len;
  }

  /** Ends a batch at `cut`; the bytes after it start the next buffer. */
  private cut(out: Batch[], cut: number): void {
    const buf = this.buf as Buffer;
    const rest = this.len - cut;
    this.buf = undefined;
    if (rest > 0) {
      this.buf = this.fresh();
      buf.copy(this.buf, 0, cut, this.len);
    }
    const endsMidLine = buf[cut - 1] !== NEWLINE;
    out.push(this.batch(buf, cut, false));
    this.midLine = endsMidLine;
    this.len = rest;
  }

  private batch(buf: Buffer, length: number, last: boolean): Batch {
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, length);
    const b: Batch = { bytes, firstLine: this.line, midLine: this.midLine, last };
    this.line += countNewlines(buf.subarray(0, length));
    return b;
  }

  private fresh(): Buffer {
    const a = this.alloc(this.size);
    if (a.byteOffset !== 0 || a.length < this.size) throw new RangeError("batch buffers must start at offset 0 and hold a whole batch");
    return Buffer.from(a.buffer, 0, a.length);
  }
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE); i >= 0; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}
