import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonFramer, type FramedEvent } from "../../src/input/framing.js";
import { InputError, readInput, readStream } from "../../src/input/open.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hexlog-input-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

async function readAll(path: string): Promise<string> {
  return Buffer.concat(await collect(readInput(path))).toString("utf8");
}

async function failure(chunks: AsyncIterable<Buffer>): Promise<InputError> {
  try {
    await collect(chunks);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error("expected the read to fail");
}

/** The bytes a read hands out before it fails, and its error. */
async function readUntilFailure(path: string): Promise<{ got: Buffer[]; error: InputError }> {
  const got: Buffer[] = [];
  const error = await failure(
    (async function* () {
      for await (const chunk of readInput(path)) {
        got.push(Buffer.from(chunk));
        yield chunk;
      }
    })(),
  );
  return { got, error };
}

const ndjson = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, msg: `event ${i} — ok` })).join("\n") + "\n";

describe("readInput", () => {
  it("reads a plain file in chunks of at least 64 KiB", async () => {
    const big = "x".repeat(1024 * 1024);
    const chunks = await collect(readInput(file("big.txt", big)));
    expect(Buffer.concat(chunks).toString()).toBe(big);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
  });

  it("reads an empty file and a one-byte file", async () => {
    expect(await readAll(file("empty.json", ""))).toBe("");
    expect(await readAll(file("one.json", "\x1f"))).toBe("\x1f");
  });

  it("detects gzip by its magic bytes, not by the file name", async () => {
    expect(await readAll(file("logs.json", gzipSync(ndjson)))).toBe(ndjson);
    expect(await readAll(file("plain.gz", ndjson))).toBe(ndjson);
  });

  it("reads every member of a multi-member gzip file", async () => {
    const members = Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"b":2}\n'), gzipSync(ndjson)]);
    expect(await readAll(file("multi.gz", members))).toBe(`{"a":1}\n{"b":2}\n${ndjson}`);
  });

  it("detects gzip when the first chunk holds a single byte", async () => {
    const gz = gzipSync(ndjson);
    const slow = Readable.from([gz.subarray(0, 1), gz.subarray(1, 2), gz.subarray(2)], { objectMode: false });
    expect(Buffer.concat(await collect(readStream(slow, "body"))).toString()).toBe(ndjson);
  });

  it("detects gzip on a pipe that delivers one byte first", async () => {
    let hasMkfifo = true;
    const fifo = join(dir, "pipe");
    try {
      execFileSync("mkfifo", [fifo]);
    } catch {
      hasMkfifo = false;
    }
    if (!hasMkfifo) return;
    const gz = file("pipe-source.gz", gzipSync(ndjson));
    // The writer sends the first byte, pauses, then the rest (as a slow producer in a pipeline would).
    const writer = spawn("sh", ["-c", `head -c 1 "$1"; sleep 0.2; tail -c +2 "$1"`, "sh", gz], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const sink = spawn("sh", ["-c", 'cat > "$1"', "sh", fifo], { stdio: ["pipe", "ignore", "inherit"] });
    writer.stdout.pipe(sink.stdin);
    const chunks = await collect(readInput(fifo));
    expect(Buffer.concat(chunks).toString()).toBe(ndjson);
  });

  it("feeds the framer from a gzip file", async () => {
    const framer = new JsonFramer({ maxEventBytes: 1024 });
    const events: FramedEvent[] = [];
    for await (const chunk of readInput(file("events.json.gz", gzipSync(ndjson)))) framer.push(chunk, events);
    framer.end(events);
    expect(events).toHaveLength(2000);
    expect(events[1999]).toMatchObject({ line: 2000, value: { i: 1999 } });
  });

  it("rejects with an InputError naming the file when it does not exist", async () => {
    const path = join(dir, "missing.json");
    const error = await failure(readInput(path));
    expect(error.path).toBe(path);
    expect(error.message).toBe(`cannot read ${path}: no such file or directory`);
  });

  it("rejects with an InputError when the path is a directory", async () => {
    const sub = join(dir, "a-directory");
    mkdirSync(sub);
    expect((await failure(readInput(sub))).message).toBe(`cannot read ${sub}: is a directory`);
  });

  it("rejects with an InputError on corrupt gzip data", async () => {
    const corrupt = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from("not really gzip at all")]);
    const path = file("corrupt.gz", corrupt);
    const error = await failure(readInput(path));
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: corrupt gzip data \\(.+\\)$`));
    expect(error.message).not.toMatch(/\n/);
  });

  it("rejects with an InputError on truncated gzip data, after the bytes it could read", async () => {
    const gz = gzipSync(ndjson);
    const path = file("truncated.gz", gz.subarray(0, gz.length - 20));
    const decodable = gunzipSync(gz.subarray(0, gz.length - 20), { finishFlush: constants.Z_SYNC_FLUSH });
    const { got, error } = await readUntilFailure(path);
    expect(Buffer.concat(got).equals(decodable)).toBe(true);
    expect(error.message).toBe(`${path}: corrupt gzip data (unexpected end of file)`);
  });

  it("hands out a whole gzip member followed by bytes that are not gzip, then says where they start", async () => {
    const gz = gzipSync(ndjson);
    const path = file("trailing.gz", Buffer.concat([gz, Buffer.from(ndjson)]));
    const { got, error } = await readUntilFailure(path);
    expect(Buffer.concat(got).toString()).toBe(ndjson);
    expect(error.message).toBe(`${path}: data after the end of the gzip data at byte ${gz.length} is not gzip (not read: decompress the file and check its end)`);
  });

  it("reads gzip members with zero padding between and after them, from a file and a pipe", async () => {
    const a = gzipSync("first\n");
    const b = gzipSync("second\n");
    const bytes = Buffer.concat([a, Buffer.alloc(5), b, Buffer.alloc(3)]);
    expect(await readAll(file("padded.gz", bytes))).toBe("first\nsecond\n");
    const piped = await collect(readStream(Readable.from([bytes.subarray(0, 1), bytes.subarray(1, a.length + 2), bytes.subarray(a.length + 2)]), "<body>"));
    expect(Buffer.concat(piped).toString()).toBe("first\nsecond\n");
  });

  it("hands out a corrupt member's data, then reports its checksum mismatch", async () => {
    const gz = Buffer.from(gzipSync("checked\n"));
    gz.writeUInt8(gz.readUInt8(gz.length - 8) ^ 0xff, gz.length - 8);
    const got: Buffer[] = [];
    let error: unknown;
    try {
      for await (const chunk of readInput(file("crc.gz", gz))) got.push(Buffer.from(chunk));
    } catch (e) {
      error = e;
    }
    expect(Buffer.concat(got).toString()).toBe("checked\n");
    expect((error as InputError).message).toMatch(/: corrupt gzip data \(checksum mismatch\)$/);
  });

  it("reports a gzip file cut inside a member's header or trailer as cut short", async () => {
    const gz = gzipSync("abc\n");
    for (const cut of [5, gz.length - 3]) {
      const path = file(`cut-${cut}.gz`, gz.subarray(0, cut));
      expect((await failure(readInput(path))).message).toBe(`${path}: corrupt gzip data (unexpected end of file)`);
    }
    const two = Buffer.concat([gz, gz.subarray(0, 6)]);
    const path = file("cut-second.gz", two);
    expect((await failure(readInput(path))).message).toBe(`${path}: corrupt gzip data (unexpected end of file)`);
  });

  it("hands a slow reader every byte decoded before a gzip file is cut short, then the error", async () => {
    // Text that does not compress much, so that the half kept holds many chunks' worth.
    const text = Array.from({ length: 60000 }, (_, i) => `${i * 7919} ${(i * 104729) % 65521}`).join("\n");
    const gz = gzipSync(text);
    const cut = gz.subarray(0, gz.length >> 1);
    const decodable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH });
    const path = file("cut-short.gz", cut);
    const got: Buffer[] = [];
    let error: unknown;
    try {
      for await (const chunk of readInput(path)) {
        got.push(Buffer.from(chunk));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(Buffer.concat(got).equals(decodable)).toBe(true);
  });

  it("stops reading when the consumer stops early", async () => {
    const path = file("early.ndjson", "y".repeat(2 * 1024 * 1024));
    for await (const chunk of readInput(path)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    const gz = file("early.gz", gzipSync("z".repeat(4 * 1024 * 1024)));
    for await (const chunk of readInput(gz)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
  });

  it("turns a failing stream into an InputError named after it", async () => {
    const broken = new Readable({
      read() {
        this.destroy(Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" }));
      },
    });
    expect((await failure(readStream(broken, "-"))).message).toBe("cannot read stdin: input/output error");
  });
});
