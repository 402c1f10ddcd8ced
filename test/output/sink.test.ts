/** LineSink: lines are joined and written in small pieces, in order, with back-pressure. */
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
  it("writes held lines once they pass 32 K characters, so the joined text stays small", () => {
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
});
