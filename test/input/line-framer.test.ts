import { describe, expect, it } from "vitest";
import { frame, summary } from "./frame.js";

const lines = { lines: true } as const;

describe("LineFramer", () => {
  it("frames every non-blank line as an event whose value is the line text", () => {
    expect(frame('127.0.0.1 - - "GET /"\n\n   \nsecond line {"not":"parsed"}\nlast', lines)).toEqual([
      { line: 1, raw: '127.0.0.1 - - "GET /"', value: '127.0.0.1 - - "GET /"' },
      { line: 4, raw: 'second line {"not":"parsed"}', value: 'second line {"not":"parsed"}' },
      { line: 5, raw: "last", value: "last" },
    ]);
  });

  it("keeps leading and trailing spaces but strips CR line ends and a leading BOM", () => {
    expect(summary(frame("\uFEFFa,b\r\n  c \r\n", lines))).toEqual([
      [1, "a,b"],
      [2, "  c "],
    ]);
  });

  it("reports an oversized line as a truncated error and goes on with the next line", () => {
    const long = "x".repeat(30);
    expect(frame(`${long}\nok\n`, { ...lines, maxEventBytes: 10 })).toEqual([
      {
        line: 1,
        raw: "x".repeat(10),
        error: "event exceeds the maximum size of 10 bytes (--max-event-bytes)",
        truncated: true,
      },
      { line: 2, raw: "ok", value: "ok" },
    ]);
  });

  it("frames the same lines whatever the chunk boundaries", () => {
    const input = Buffer.from("\uFEFFé日😀\r\n\r\nshort\n" + "y".repeat(40) + "\r\nlast\r", "utf8");
    const whole = frame(input, { ...lines, maxEventBytes: 20 });
    expect(summary(whole)).toEqual([
      [1, "é日😀"],
      [3, "short"],
      [4, "ERROR event exceeds the maximum size of 20 bytes (--max-event-bytes)"],
      [5, "last"],
    ]);
    for (let cut = 0; cut <= input.length; cut++) {
      expect(frame(input, { ...lines, maxEventBytes: 20, cuts: [cut] })).toEqual(whole);
    }
    expect(frame(input, { ...lines, maxEventBytes: 20, chunkBytes: 1 })).toEqual(whole);
  });
});

describe("LineFramer: long lines in linear time", () => {
  const MiB = 1024 * 1024;

  it("frames an 8 MiB line pushed in 512-byte chunks, and skips a 16 MiB one over the limit", () => {
    const input = `${"w ".repeat(4 * MiB)}\r\nnext\n${"z".repeat(16 * MiB)}\nlast\n`;
    const events = frame(input, { ...lines, maxEventBytes: 10 * MiB, chunkBytes: 512 });
    expect(events.map((e) => [e.line, e.error ?? (e.value as string).length])).toEqual([
      [1, 8 * MiB],
      [2, 4],
      [3, `event exceeds the maximum size of ${10 * MiB} bytes (--max-event-bytes)`],
      [4, 4],
    ]);
  });
});

describe("LineFramer: byte order marks", () => {
  it("drops a BOM at the start of any line (text files concatenated), so the line reads as its own text", () => {
    expect(frame("\uFEFFfirst\n\uFEFFsecond\nthird \uFEFF kept\n\uFEFF\n", lines).map((e) => [e.line, e.value])).toEqual([
      [1, "first"],
      [2, "second"],
      [3, "third \uFEFF kept"],
    ]);
  });
});
