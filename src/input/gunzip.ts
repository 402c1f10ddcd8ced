/**
 * gzip decompression that hands out every byte it could decode before it reports a problem.
 *
 * Node's Gunzip stream drops the output of the write in which it fails: with trailing bytes after
 * the last member (`(gzip -c f; cat f) > x.gz`) that is the whole last member, and with a file cut
 * short the end of the data. Here the members are read one by one: the header by hand, the
 * compressed data by a raw inflate stream (which says where the data ended), the trailer's
 * checksum and length checked by hand. Members follow each other (multi-member files), zero
 * bytes between or after them are padding (as gzip takes them); anything else ends the input
 * with an error, after all that came before it.
 */

import { createRequire } from "node:module";

/** A problem with the gzip data, after everything before it was handed out. */
export class GzipError extends Error {
  override readonly name = "GzipError";
}

const FTEXT_MASK = 0x01;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED = 0xe0;
const DEFLATE = 8;
/** Headers longer than this (a file name or comment without its terminating zero) are corrupt. */
const MAX_HEADER = 64 * 1024;

/** Reads a source of byte chunks with a small look-ahead buffer. */
class Reader {
  private held: Buffer = Buffer.alloc(0);
  private eof = false;
  /** Bytes consumed so far (for error messages). */
  offset = 0;

  constructor(private readonly next: () => Promise<Buffer | undefined>) {}

  /** Whether at least `n` bytes are available (reading more if needed). */
  async has(n: number): Promise<boolean> {
    while (this.held.length < n && !this.eof) {
      const chunk = await this.next();
      if (chunk === undefined) this.eof = true;
      else if (chunk.length > 0) this.held = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    }
    return this.held.length >= n;
  }

  peek(): Buffer {
    return this.held;
  }

  skip(n: number): void {
    this.held = this.held.subarray(n);
    this.offset += n;
  }

  /** The held bytes, else the next chunk, or undefined at the end of the source. */
  async take(): Promise<Buffer | undefined> {
    if (this.held.length === 0 && !(await this.has(1))) return undefined;
    const chunk = this.held;
    this.held = Buffer.alloc(0);
    this.offset += chunk.length;
    return chunk;
  }

  /** Gives back the unconsumed end of a chunk that `take` returned. */
  unread(rest: Buffer): void {
    this.offset -= rest.length;
    this.held = this.held.length === 0 ? rest : Buffer.concat([rest, this.held]);
  }
}

/**
 * The decompressed bytes of gzip data arriving in chunks (`head` first, then `next()` until it
 * gives undefined). Throws GzipError after the last good byte when the data is cut short,
 * corrupt, or followed by something that is not gzip.
 */
export async function* gunzipChunks(head: Buffer, next: () => Promise<Buffer | undefined>, chunkSize: number): AsyncGenerator<Buffer, void, undefined> {
  let first = true;
  const reader = new Reader(async () => {
    if (first) {
      first = false;
      return head;
    }
    return next();
  });
  let members = 0;
  for (;;) {
    // Zero bytes between and after members are padding.
    while (await reader.has(1)) {
      const held = reader.peek();
      let zeros = 0;
      while (zeros < held.length && held[zeros] === 0) zeros++;
      if (zeros === 0) break;
      reader.skip(zeros);
    }
    if (!(await reader.has(1))) {
      if (members === 0) throw new GzipError("corrupt gzip data (no data)");
      return;
    }
    const at = reader.offset;
    const headerBytes = await readHeader(reader);
    if (headerBytes < 0) {
      throw new GzipError(
        members === 0
          ? "corrupt gzip data (invalid header)"
          : `data after the end of the gzip data at byte ${at} is not gzip (not read: decompress the file and check its end)`,
      );
    }
    reader.skip(headerBytes);
    const { crc, size } = yield* inflateMember(reader, chunkSize);
    if (!(await reader.has(8))) throw new GzipError("corrupt gzip data (unexpected end of file)");
    const trailer = reader.peek();
    if (trailer.readUInt32LE(0) !== crc) throw new GzipError("corrupt gzip data (checksum mismatch)");
    if (trailer.readUInt32LE(4) !== size) throw new GzipError("corrupt gzip data (length mismatch)");
    reader.skip(8);
    members++;
  }
}

/**
 * The length of the gzip member header at the reader's position, or -1 if the bytes there are
 * not one. A header cut short counts as not one only when it does not even start like one.
 */
async function readHeader(reader: Reader): Promise<number> {
  if (!(await reader.has(10))) {
    const b = reader.peek();
    if (b[0] !== 0x1f || (b.length > 1 && b[1] !== 0x8b)) return -1;
    throw new GzipError("corrupt gzip data (unexpected end of file)");
  }
  let b = reader.peek();
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== DEFLATE || (b[3]! & RESERVED) !== 0) return -1;
  const flags = b[3]! & ~FTEXT_MASK;
  let n = 10;
  const need = async (count: number): Promise<void> => {
    if (count > MAX_HEADER) throw new GzipError("corrupt gzip data (header too long)");
    if (!(await reader.has(count))) throw new GzipError("corrupt gzip data (unexpected end of file)");
    b = reader.peek();
  };
  if (flags & FEXTRA) {
    await need(n + 2);
    n += 2 + b.readUInt16LE(n);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    // A zero-terminated string.
    for (;;) {
      await need(n + 1);
      const z = b.indexOf(0, n);
      if (z >= 0) {
        n = z + 1;
        break;
      }
      await need(b.length + 1);
    }
  }
  if (flags & FHCRC) n += 2;
  await need(n);
  return n;
}

/**
 * Inflates one member's compressed data from the reader, yielding its output; leaves the reader
 * just after the data (at the trailer). Returns the CRC-32 and length (mod 2^32) of the output.
 */
async function* inflateMember(reader: Reader, chunkSize: number): AsyncGenerator<Buffer, { crc: number; size: number }, undefined> {
  // Z_SYNC_FLUSH at the end: data cut short gives all it decodes, then our own error.
  // node:zlib loads with the first gzip member, not at every start-up.
  const { constants, crc32, createInflateRaw } = createRequire(import.meta.url)("node:zlib") as typeof import("node:zlib");
  const inflate = createInflateRaw({ chunkSize, finishFlush: constants.Z_SYNC_FLUSH });
  let crc = 0;
  let size = 0;
  let failure: Error | undefined;
  let ended = false;
  let wake: () => void = () => undefined;
  inflate.on("readable", () => wake());
  inflate.on("error", (e: Error) => {
    failure = e;
    wake();
  });
  inflate.on("end", () => {
    ended = true;
    wake();
  });
  const drain = function* (): Generator<Buffer, void, undefined> {
    for (let out = inflate.read() as Buffer | null; out !== null; out = inflate.read() as Buffer | null) {
      crc = crc32(out, crc);
      size = (size + out.length) >>> 0;
      yield out;
    }
  };
  try {
    let consumed = 0;
    for (;;) {
      const chunk = await reader.take();
      if (chunk === undefined) {
        // The input ended inside the compressed data.
        inflate.end();
        while (!ended && !failure) {
          yield* drain();
          if (!ended && !failure) await new Promise<void>((resolve) => (wake = resolve));
        }
        yield* drain();
        const why = (failure as Error | undefined)?.message;
        throw new GzipError(`corrupt gzip data (unexpected end of file${why ? `; ${why}` : ""})`);
      }
      // One chunk at a time, its output read while it is processed: when the data ends inside
      // this chunk, the stream counts how much of it was used.
      let written = false;
      inflate.write(chunk, () => {
        written = true;
        wake();
      });
      for (;;) {
        yield* drain();
        if (failure) throw new GzipError(`corrupt gzip data (${failure.message})`);
        if (written || ended) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      yield* drain();
      const used = inflate.bytesWritten - consumed;
      consumed = inflate.bytesWritten;
      if (used < chunk.length) {
        // The compressed data ended inside this chunk: the rest is the trailer and what follows.
        reader.unread(chunk.subarray(used));
        while (!ended && !failure) {
          await new Promise<void>((resolve) => (wake = resolve));
          yield* drain();
        }
        const why = (failure as Error | undefined)?.message;
        if (why !== undefined) throw new GzipError(`corrupt gzip data (${why})`);
        return { crc, size };
      }
    }
  } finally {
    inflate.destroy();
  }
}
