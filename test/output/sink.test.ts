/** LineSink: lines are encoded and written in small pieces, in order, with back-pressure. */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LineSink } from "../../src/output/sink.js";

/** A stream that records each write and completes it only when told to. */
function slowStream(): { stream: Writable; writes: string[]; complete: () => void } {
  const writes: string[] = [];
  const waiting: Array<() => void> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString());
      waiting.push(done);
    },
  });
  const complete = (): void => {
    for (const done of waiting.splice(0)) done();
  };
  return { stream, writes, complete };
}

describe("LineSink", () => {
  it("writes held lines once they pass 32 KiB, so few bytes are held", () => {
    const { stream, writes } = slowStream();
    const sink = new LineSink(stream);
    const line = "x".repeat(999);
    for (let i = 0; i < 32; i++) sink.writeLine(line);
    expect(writes).toEqual([]);
    sink.writeLine(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe(`${Array(33).fill(line).join("\n")}\n`);
  });

  it("keeps the order of lines and bytes", async () => {
    const { stream, writes, complete } = slowStream();
    const sink = new LineSink(stream);
    sink.writeLine("a");
    sink.writeBytes(Buffer.from("b\n"), () => undefined);
    sink.writeLine("c");
    const flushed = sink.flush();
    complete();
    await flushed;
    complete();
    expect(writes.join("")).toBe("a\nb\nc\n");
  });

  it("resolves flushWritten only once lines it wrote on its own are written too", async () => {
    const { stream, writes, complete } = slowStream();
    const sink = new LineSink(stream);
    // 33 lines pass the limit: all of them are written at once, none is left held.
    for (let i = 0; i < 33; i++) sink.writeLine("y".repeat(999));
    expect(writes).toHaveLength(1);
    let done = false;
    const written = sink.flushWritten().then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    complete();
    await new Promise((resolve) => setImmediate(resolve));
    complete();
    await written;
    expect(writes.join("").split("\n")).toHaveLength(34);
  });
  it("waits for room until its unwritten bytes are at or under the limit, with one 'drain' listener however many wait", async () => {
    const { stream, complete } = slowStream();
    const sink = new LineSink(stream);
    const line = "y".repeat(1023);
    for (let i = 0; i < 40; i++) sink.writeLine(line);
    // Lines held in the sink count too, before they reach the stream.
    expect(sink.pendingBytes).toBe(40 * 1024);
    let roomy = 0;
    const waits = Array.from({ length: 20 }, () => sink.waitForRoom(8 * 1024).then(() => roomy++));
    await new Promise((resolve) => setImmediate(resolve));
    expect(roomy).toBe(0);
    expect(stream.listenerCount("drain")).toBe(1);
    // The first chunk's completion lets the stream write the rest; then it drains.
    while (roomy < waits.length) {
      complete();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(waits);
    expect(sink.pendingBytes).toBe(0);
    expect(stream.listenerCount("drain")).toBe(0);
    // With room already, it resolves at once.
    sink.writeLine("z");
    await sink.waitForRoom(8 * 1024);
    expect(sink.pendingBytes).toBe(2);
  });

  it("writes lines as UTF-8 exactly as writing them as strings would, lone surrogates as U+FFFD", async () => {
    const { stream, writes } = bytesStream(true);
    const sink = new LineSink(stream);
    const lines = ["plain", "café ✓ 𝄞", "lone \ud800 high", "lone \udc00 low", "", "x".repeat(40_000)];
    for (const line of lines) sink.writeLine(line);
    await sink.flush();
    // Compared byte for byte (as latin1 text: fast, and a difference still shows).
    expect(Buffer.concat(writes).toString("latin1")).toBe(Buffer.from(lines.map((l) => `${l}\n`).join("")).toString("latin1"));
  });

  it("writes a line too long for its buffer on its own, in order with the lines around it", async () => {
    const { stream, writes } = bytesStream(true);
    const sink = new LineSink(stream);
    const long = "é".repeat(30_000);
    sink.writeLine("before");
    sink.writeLine(long);
    sink.writeLine("after");
    await sink.flush();
    expect(Buffer.concat(writes).toString()).toBe(`before\n${long}\nafter\n`);
    expect(writes).toHaveLength(3);
  });

  it("never reuses a buffer that a stream of unknown kind was given (it may keep the chunk)", async () => {
    // Completes every write at once but keeps the chunks themselves, as a PassThrough does.
    const { stream, writes } = bytesStream(true);
    const sink = new LineSink(stream);
    const expected: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const line = `line ${i} ${"z".repeat(i % 97)}`;
      expected.push(`${line}\n`);
      sink.writeLine(line);
      if (i % 100 === 0) await sink.flush();
    }
    await sink.flush();
    expect(writes.length).toBeGreaterThan(2);
    expect(Buffer.concat(writes).toString()).toBe(expected.join(""));
  });

  it("writes every line to a file whose stream hands its buffers back for reuse", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hexlog-sink-"));
    try {
      const path = join(dir, "out.ndjson");
      const sink = new LineSink(createWriteStream(path));
      const expected: string[] = [];
      for (let i = 0; i < 5000; i++) {
        const line = `{"n":${i},"s":"${"ü".repeat(i % 50)}"}`;
        expected.push(`${line}\n`);
        sink.writeLine(line);
        if (i % 500 === 0) await sink.flush();
      }
      await sink.end();
      expect(readFileSync(path, "utf8")).toBe(expected.join(""));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A stream that keeps each chunk it is given (not a copy); `immediate` completes each write at
 * once, else only when told to.
 */
function bytesStream(immediate = false): { stream: Writable; writes: Buffer[]; complete: () => void } {
  const writes: Buffer[] = [];
  const waiting: Array<() => void> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk);
      if (immediate) done();
      else waiting.push(done);
    },
  });
  const complete = (): void => {
    for (const done of waiting.splice(0)) done();
  };
  return { stream, writes, complete };
}
