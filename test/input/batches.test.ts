import { describe, expect, it } from "vitest";
import { LineBatcher, type Batch } from "../../src/input/batches.js";

/** Batches of a whole input pushed in chunks of `chunk` bytes. */
function batches(input: string | Buffer, size: number, chunk = 1 << 16): Batch[] {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  const b = new LineBatcher(size);
  const out: Batch[] = [];
  for (let at = 0; at < bytes.length; at += chunk) b.push(bytes.subarray(at, at + chunk), out);
  b.end(out);
  return out;
}

const text = (b: Batch): string => Buffer.from(b.bytes).toString("utf8");

describe("LineBatcher", () => {
  it("cuts after newlines, numbering each batch's first line", () => {
    const out = batches('{"a":1}\n{"b":2}\n{"c":3}\n', 10);
    // The bytes left after the last full batch make the last batch.
    expect(out.map(text)).toEqual(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n']);
    expect(out.map((b) => b.firstLine)).toEqual([1, 2, 3]);
    expect(out.map((b) => b.last)).toEqual([false, false, true]);
    expect(out.some((b) => b.midLine)).toBe(false);
  });

  it("prefers a cut before a value starting at column 0", () => {
    const input = '{\n  "a": 1\n}\n{\n  "b": 2\n}\n';
    const out = batches(input, 16);
    expect(text(out[0] as Batch)).toBe('{\n  "a": 1\n}\n');
    expect(out.map(text).join("")).toBe(input);
  });

  it("cuts a line longer than a batch where the batch ends and marks the next batch mid-line", () => {
    const long = `{"s":"${"x".repeat(30)}"}`;
    const out = batches(`${long}\n{"t":1}\n{"u":2}\n`, 16);
    expect(out.map(text)).toEqual([long.slice(0, 16), long.slice(16, 32), `${long.slice(32)}\n{"t":1}\n`, '{"u":2}\n']);
    expect(out.map((b) => [b.firstLine, b.midLine])).toEqual([
      [1, false],
      [1, true],
      [1, true],
      [3, false],
    ]);
  });

  it("gives back exactly the input, whatever the chunk and batch sizes", () => {
    const input = Buffer.from('{"a":"é€😀"}\r\n\n[1,\n 2]\n{"b":\n"x"}\nno newline at the end');
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      for (const chunk of [1, 5, 64]) {
        const out = batches(input, size, chunk);
        expect(Buffer.concat(out.map((b) => b.bytes)).equals(input)).toBe(true);
        for (const b of out) expect(b.bytes.length).toBeLessThanOrEqual(size);
        // firstLine counts the newlines before each batch
        let line = 1;
        for (const b of out) {
          expect(b.firstLine).toBe(line);
          line += Buffer.from(b.bytes).toString("latin1").split("\n").length - 1;
        }
      }
    }
  });

  it("cuts the same batches when reading straight into them as when chunks are pushed, whatever the read sizes", () => {
    const input = Buffer.from('{"a":"é€😀"}\r\n\n[1,\n 2]\n{"b":\n"x"}\n{\n "c": 3\n}\nno newline at the end');
    for (const size of [1, 2, 3, 7, 16, 64, 1000]) {
      for (const most of [1, 5, 64, 1 << 20]) {
        const b = new LineBatcher(size);
        const out: Batch[] = [];
        let at = 0;
        const reads: number[] = [];
        // A reader that fills at most `most` bytes a call (short reads, as a file may give).
        for (;;) {
          const n = b.read((into) => {
            const n = Math.min(into.length, most, input.length - at);
            input.copy(into, 0, at, at + n);
            at += n;
            return n;
          }, out);
          reads.push(n);
          if (n === 0) break;
        }
        b.end(out);
        expect(reads.every((n) => n <= Math.min(size, most))).toBe(true);
        expect(out.map((x) => ({ ...x, bytes: text(x) }))).toEqual(batches(input, size, 3).map((x) => ({ ...x, bytes: text(x) })));
      }
    }
  });

  it("hands out the complete lines it holds when asked, keeping a partial line", () => {
    const b = new LineBatcher(1000);
    const out: Batch[] = [];
    b.push(Buffer.from('{"a":1}\n{"b":'), out);
    expect(out).toHaveLength(0);
    b.flushLines(out);
    expect(out.map(text)).toEqual(['{"a":1}\n']);
    b.push(Buffer.from("2}\n"), out);
    b.end(out);
    expect(out.map(text)).toEqual(['{"a":1}\n', '{"b":2}\n']);
    expect(out[1]).toMatchObject({ firstLine: 2, last: true, midLine: false });
  });

  it("ends an empty input with one empty last batch", () => {
    expect(batches("", 10)).toEqual([{ bytes: new Uint8Array(0), firstLine: 1, midLine: false, last: true }]);
  });

  it("builds batches in the buffers it is given, each batch starting at offset 0", () => {
    const given: ArrayBuffer[] = [];
    const b = new LineBatcher(8, (n) => {
      const a = new Uint8Array(n + 4);
      given.push(a.buffer);
      return a;
    });
    const out: Batch[] = [];
    b.push(Buffer.from("abc\ndefgh\nij\n"), out);
    b.end(out);
    for (const batch of out) {
      expect(batch.bytes.byteOffset).toBe(0);
      expect(given).toContain(batch.bytes.buffer);
    }
  });
});
