/**
 * Webhook request bodies as Panther's HTTP source takes them: JSON, NDJSON or
 * JSON arrays, optionally compressed (Content-Encoding gzip, deflate or br, or gzip recognised by
 * its magic bytes), within a size limit counted on the bytes received and again on the bytes
 * they decompress to, so a small compressed body cannot blow up in memory.
 */
import type { IncomingMessage } from "node:http";
import { promisify } from "node:util";
import { brotliDecompress, gunzip, inflate, type ZlibOptions } from "node:zlib";

/**
 * A body, or why the request is refused (with its HTTP status); status 0: the client went away.
 * `release` hands the body's buffer back to the pool it came from, once nothing uses the body.
 */
export type BodyOutcome = { ok: true; body: Buffer; release: () => void } | { ok: false; status: number; message: string };

/**
 * Buffers of the largest body, reused for bodies over a quarter of it: bodies are the server's
 * big allocations, and each new one is memory outside the JS heap that stays until a garbage
 * collection finds it dead (V8 lets tens of MiB of such garbage pile up first).
 */
export class BodyBuffers {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    private readonly max: number,
  ) {}

  /** The bytes a body of `declared` bytes (NaN: not declared) takes while it is read. */
  cost(declared: number): number {
    return Number.isSafeInteger(declared) && declared >= 0 && declared <= this.size / 4 ? declared : this.size;
  }

  /** A buffer for a body of `declared` bytes (at most `size`), and whether it is the pool's. */
  take(declared: number): { buffer: Buffer; pooled: boolean } {
    if (declared <= this.size / 4) return { buffer: Buffer.allocUnsafe(declared), pooled: false };
    return { buffer: this.free.pop() ?? Buffer.allocUnsafe(this.size), pooled: true };
  }

  give(b: Buffer): void {
    if (this.free.length < this.max) this.free.push(b);
  }
}

type Decoder = (buf: Buffer, options: ZlibOptions) => Promise<Buffer>;

const DECODERS: Record<string, Decoder> = {
  gzip: promisify(gunzip) as Decoder,
  "x-gzip": promisify(gunzip) as Decoder,
  deflate: promisify(inflate) as Decoder,
  br: promisify(brotliDecompress) as Decoder,
};

/** Media types a JSON body may come with; anything else declared is refused with 415. */
const JSON_TYPES = new Set([
  "application/json",
  "application/x-ndjson",
  "application/ndjson",
  "application/jsonl",
  "application/x-jsonlines",
  "application/json-seq",
  "text/json",
  "text/plain",
  "application/octet-stream",
  // What curl --data sends unless told otherwise: replay scripts should not need -H.
  "application/x-www-form-urlencoded",
]);

/** Why a declared Content-Type or Content-Encoding cannot be read (415), if it cannot. */
/** Media types a body of log lines may carry (text log types). */
const TEXT_TYPES: ReadonlySet<string> = new Set(["text/plain", "application/octet-stream"]);

export function unsupportedMediaType(headers: IncomingMessage["headers"], text = false): string | undefined {
  const type = (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  // Text log types take log lines, which senders label as plain text.
  if (type !== "" && !JSON_TYPES.has(type) && !type.endsWith("+json") && !(text && TEXT_TYPES.has(type))) {
    return `unsupported Content-Type ${type}: send ${text ? "text lines, " : ""}JSON, NDJSON or a JSON array`;
  }
  const unknown = encodings(headers).find((e) => !(e in DECODERS));
  if (unknown !== undefined) return `unsupported Content-Encoding ${unknown}: use gzip, deflate or br`;
  return undefined;
}

/** Content-Encoding as a list, in the order applied (identity left out). */
function encodings(headers: IncomingMessage["headers"]): string[] {
  const h = headers["content-encoding"];
  if (h === undefined) return [];
  return h
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== "" && e !== "identity");
}

/**
 * Reads the whole body (at most `maxBytes`, before and after decompression) and decompresses it;
 * a body with a Content-Length is read into a buffer of `buffers` (of at least maxBytes).
 */
export async function readRequestBody(req: IncomingMessage, maxBytes: number, buffers?: BodyBuffers): Promise<BodyOutcome> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes, "");
  const received = await receive(req, maxBytes, buffers);
  if (!received.ok) return received;
  let body = received.body;
  let release = received.release;
  const applied = encodings(req.headers);
  const decoded = (b: Buffer): void => {
    // The decompressed body is a buffer of its own: the received one can be reused.
    release();
    release = () => undefined;
    body = b;
  };
  try {
    for (const e of applied.reverse()) decoded(await (DECODERS[e] as Decoder)(body, { maxOutputLength: maxBytes }));
    // Panther recognises compression from the bytes themselves, whatever the headers say.
    if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) decoded(await (DECODERS.gzip as Decoder)(body, { maxOutputLength: maxBytes }));
  } catch (e) {
    release();
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) return tooLarge(maxBytes, "decompressed ");
    return { ok: false, status: 400, message: `cannot decompress the body: ${err.message}` };
  }
  return { ok: true, body, release };
}

/**
 * Collects the raw body; stops collecting (but keeps the connection readable) once over the
 * limit. With a Content-Length the chunks are copied into one buffer of that size as they come,
 * so a body is held once, not as its chunks and then again joined.
 */
function receive(req: IncomingMessage, maxBytes: number, buffers: BodyBuffers | undefined): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const declared = Number(req.headers["content-length"]);
    const fits = Number.isSafeInteger(declared) && declared > 0 && declared <= maxBytes;
    const taken = fits && buffers && declared <= buffers.size ? buffers.take(declared) : undefined;
    let whole = fits ? (taken?.buffer ?? Buffer.allocUnsafe(declared)) : undefined;
    const release = (): void => {
      if (taken?.pooled) buffers?.give(taken.buffer);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (outcome: BodyOutcome): void => {
      if (!outcome.ok || !whole) release();
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      req.off("error", onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > maxBytes) return done(tooLarge(maxBytes, ""));
      if (whole && size + chunk.length <= whole.length) {
        chunk.copy(whole, size);
      } else {
        // More than declared (the HTTP parser does not let that happen): collect chunks after all.
        if (whole) chunks.push(whole.subarray(0, size));
        whole = undefined;
        chunks.push(chunk);
      }
      size += chunk.length;
    };
    const onEnd = (): void => done(whole ? { ok: true, body: whole.subarray(0, size), release } : { ok: true, body: Buffer.concat(chunks, size), release: () => undefined });
    const onClose = (): void => done({ ok: false, status: 0, message: "the client closed the connection before sending the whole body" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
    req.on("error", onClose);
  });
}

/**
 * Throws away the rest of a refused request's body so the client can read the answer, but
 * closes the connection once a client keeps sending far more than any accepted body.
 */
export function discardBody(req: IncomingMessage, maxBytes: number): void {
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > 4 * maxBytes + 65536) req.socket.destroy();
  });
  req.resume();
}

/** Why a (decompressed) body holds no JSON at all, if it does not: empty, or not starting like JSON. */
export function notJson(body: Buffer): string | undefined {
  let i = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  if (i === body.length) return "the body is empty";
  const c = body[i] as number;
  // { [ " - 0-9 t(rue) f(alse) n(ull)
  const jsonStart = c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
  return jsonStart ? undefined : "the body is not JSON: send JSON, NDJSON or a JSON array";
}

function tooLarge(maxBytes: number, what: string): BodyOutcome {
  return { ok: false, status: 413, message: `the ${what}body is larger than ${maxBytes} bytes` };
}
