import { describe, expect, it } from "vitest";
import { JsonFramer, type FramedEvent } from "../../src/input/framing.js";
import { frame, summary } from "./frame.js";

const ok = (line: number, raw: string, value: unknown) => ({ line, raw, value });
const failed = (line: number, raw: string, error: string | RegExp) => ({
  line,
  raw,
  error: typeof error === "string" ? error : expect.stringMatching(error),
});

describe("JsonFramer: one event per top-level JSON value", () => {
  it("frames one event per NDJSON line with its physical line number and exact text", () => {
    expect(frame('{"a":1}\n{"b": "x y"}\n')).toEqual([ok(1, '{"a":1}', { a: 1 }), ok(2, '{"b": "x y"}', { b: "x y" })]);
  });

  it("frames the last line even without a final newline", () => {
    expect(frame('{"a":1}\n{"b":2}')).toEqual([ok(1, '{"a":1}', { a: 1 }), ok(2, '{"b":2}', { b: 2 })]);
  });

  it("skips blank and whitespace-only lines but still counts them", () => {
    expect(summary(frame('\n{"a":1}\n\n   \n\t\n{"b":2}\n\n'))).toEqual([
      [2, { a: 1 }],
      [6, { b: 2 }],
    ]);
  });

  it("yields nothing for an empty input", () => {
    expect(frame("")).toEqual([]);
    expect(frame("\n\n")).toEqual([]);
  });

  it("splits values concatenated on one line, with or without spaces between them", () => {
    expect(frame('{"a":1}{"b":2}\n{"c":3} {"d":4}\t[5]\n')).toEqual([
      ok(1, '{"a":1}', { a: 1 }),
      ok(1, '{"b":2}', { b: 2 }),
      ok(2, '{"c":3}', { c: 3 }),
      ok(2, '{"d":4}', { d: 4 }),
      ok(2, "5", 5),
    ]);
  });

  it("frames a pretty-printed object as one event starting at its first line", () => {
    const text = '{\n  "a": {\n    "b": [1, 2]\n  },\n  "c": "}"\n}';
    expect(frame(`${text}\n{"next":true}\n`)).toEqual([
      ok(1, text, { a: { b: [1, 2] }, c: "}" }),
      ok(7, '{"next":true}', { next: true }),
    ]);
  });

  it("gives each element of a pretty-printed array its own start line", () => {
    const input = ["[", "  {", '    "a": 1', "  },", '  {"b": [', "    2", "  ]}", "]", ""].join("\n");
    expect(frame(input)).toEqual([
      ok(2, '{\n    "a": 1\n  }', { a: 1 }),
      ok(5, '{"b": [\n    2\n  ]}', { b: [2] }),
    ]);
  });

  it("frames every element of a one-line array, scalars included, and keeps nested arrays whole", () => {
    expect(frame('[{"a":1}, 2, "three", null, [4, [5]], true]\n')).toEqual([
      ok(1, '{"a":1}', { a: 1 }),
      ok(1, "2", 2),
      ok(1, '"three"', "three"),
      ok(1, "null", null),
      ok(1, "[4, [5]]", [4, [5]]),
      ok(1, "true", true),
    ]);
  });

  it("yields nothing for an empty array", () => {
    expect(frame("[]\n[ ]\n[\n]\n")).toEqual([]);
  });

  it("frames arrays whose elements start at column 0", () => {
    expect(summary(frame('[\n{"a":1},\n{"b":\n2}\n]\n'))).toEqual([
      [2, { a: 1 }],
      [3, { b: 2 }],
    ]);
  });

  it("frames bare scalars at top level as events with that value", () => {
    expect(frame('123\n"str"\nnull\ntrue false\n-1.5e3\n')).toEqual([
      ok(1, "123", 123),
      ok(2, '"str"', "str"),
      ok(3, "null", null),
      ok(4, "true", true),
      ok(4, "false", false),
      ok(5, "-1.5e3", -1500),
    ]);
  });

  it("handles NDJSON, arrays, pretty-printed and concatenated values mixed in one stream", () => {
    const input = ['{"n":1}', "[", '  {"n":2},', '  {"n":3}', "]", "{", '  "n": 4', '}{"n":5}', '{"n":6}', ""].join("\n");
    expect(summary(frame(input))).toEqual([
      [1, { n: 1 }],
      [3, { n: 2 }],
      [4, { n: 3 }],
      [6, { n: 4 }],
      [8, { n: 5 }],
      [9, { n: 6 }],
    ]);
  });

  it("reads escaped quotes and backslashes inside strings correctly", () => {
    const raw = String.raw`{"q":"a \"quoted\" {word}","b":"ends with \\","c":"[\\\"]"}`;
    expect(frame(`${raw}${raw}\n`)).toEqual([
      ok(1, raw, JSON.parse(raw)),
      ok(1, raw, JSON.parse(raw)),
    ]);
  });

  it("keeps keys such as __proto__ as plain data", () => {
    const [event] = frame('{"__proto__":{"polluted":1}}\n');
    expect(event?.value).toEqual(JSON.parse('{"__proto__":{"polluted":1}}'));
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("JsonFramer: encodings and line ends", () => {
  it("removes a UTF-8 BOM at the start of the input and of any line (files concatenated), not inside one", () => {
    expect(frame('\uFEFF{"a":1}\n{"b":2}\n')).toEqual([ok(1, '{"a":1}', { a: 1 }), ok(2, '{"b":2}', { b: 2 })]);
    expect(frame('{"a":1}\n\uFEFF{"b":2}\n\uFEFF[{"c":3}]\n\uFEFF{\n"d":4}\n')).toEqual([
      ok(1, '{"a":1}', { a: 1 }),
      ok(2, '{"b":2}', { b: 2 }),
      ok(3, '{"c":3}', { c: 3 }),
      ok(4, '{\n"d":4}', { d: 4 }),
    ]);
    const [, second] = frame('{"a":1}\n {"b":\uFEFF2}\n');
    expect(second?.error).toMatch(/^invalid JSON/);
  });

  it("removes a BOM split across the first chunks", () => {
    expect(frame('\uFEFF{"a":1}\n', { chunkBytes: 1 })).toEqual([ok(1, '{"a":1}', { a: 1 })]);
  });

  it("strips the CR of CRLF line ends from raw text, also inside multi-line values", () => {
    expect(frame('{"a":1}\r\n{\r\n  "b": 2\r\n}\r\n\r\n"s"\r\n')).toEqual([
      ok(1, '{"a":1}', { a: 1 }),
      ok(2, '{\n  "b": 2\n}', { b: 2 }),
      ok(6, '"s"', "s"),
    ]);
  });

  it("strips a CR before the end of input", () => {
    expect(frame('{"a":1}\r')).toEqual([ok(1, '{"a":1}', { a: 1 })]);
  });

  it("decodes multi-byte UTF-8 characters split across chunks", () => {
    const input = '{"s":"é€😀"}\n["ü", "日本"]\n';
    const bytes = Buffer.from(input, "utf8");
    const whole = frame(bytes);
    expect(whole).toEqual([ok(1, '{"s":"é€😀"}', { s: "é€😀" }), ok(2, '"ü"', "ü"), ok(2, '"日本"', "日本")]);
    for (let cut = 1; cut < bytes.length; cut++) expect(frame(bytes, { cuts: [cut] })).toEqual(whole);
    expect(frame(bytes, { chunkBytes: 1 })).toEqual(whole);
  });

  it("turns invalid UTF-8 bytes into U+FFFD", () => {
    const bytes = Buffer.concat([Buffer.from('{"s":"a'), Buffer.from([0xff, 0xc3]), Buffer.from('"}\n')]);
    expect(frame(bytes)).toEqual([ok(1, '{"s":"a\uFFFD\uFFFD"}', { s: "a\uFFFD\uFFFD" })]);
    expect(frame(bytes, { chunkBytes: 1 })).toEqual(frame(bytes));
  });
});

describe("JsonFramer: malformed events", () => {
  it("reports a malformed line as an error for that event only", () => {
    expect(frame('{"a":1,}\n{"b":2}\n')).toEqual([
      failed(1, '{"a":1,}', /^invalid JSON: .*position 7/),
      ok(2, '{"b":2}', { b: 2 }),
    ]);
  });

  it("ends a value broken by a raw newline inside a string at that line", () => {
    expect(frame('{"msg": "first half\nsecond half"}\n{"b":2}\n')).toEqual([
      failed(1, '{"msg": "first half', "unterminated string (raw newline inside a JSON string)"),
      failed(2, 'second half"}', /^invalid JSON/),
      ok(3, '{"b":2}', { b: 2 }),
    ]);
  });

  it("reports an open multi-line value as broken when a new value starts at column 0", () => {
    expect(frame('{\n  "a": 1,\n{"b":2}\n[\n  {"c": 3}\n]\n')).toEqual([
      failed(1, '{\n  "a": 1,', "unterminated JSON value (line 3 starts a new value)"),
      ok(3, '{"b":2}', { b: 2 }),
      ok(5, '{"c": 3}', { c: 3 }),
    ]);
  });

  it("never lets a malformed line swallow the lines after it", () => {
    const input = ['{"a": [1, 2}', '{"b":2}', '{"c": "x', '{"d":4}', "{{{", '{"e":5}', ""].join("\n");
    const events = frame(input);
    expect(events.filter((e) => e.error === undefined).map((e) => [e.line, e.value])).toEqual([
      [2, { b: 2 }],
      [4, { d: 4 }],
      [6, { e: 5 }],
    ]);
    expect(events.filter((e) => e.error !== undefined).map((e) => e.line)).toEqual([1, 3, 5]);
  });

  it("reports text after a complete value on the same line as its own error event", () => {
    expect(frame('{"a":1} garbage here\n{"b":2},\n')).toEqual([
      ok(1, '{"a":1}', { a: 1 }),
      failed(1, "garbage here", /^invalid JSON: Unexpected token 'g'/),
      ok(2, '{"b":2}', { b: 2 }),
      failed(2, ",", /^invalid JSON/),
    ]);
  });

  it("reports stray closing brackets and invalid scalars", () => {
    expect(summary(frame('}\n]\ntru\n"bad \\x escape"\n01\n'))).toEqual([
      [1, expect.stringMatching(/^ERROR invalid JSON/)],
      [2, expect.stringMatching(/^ERROR invalid JSON/)],
      [3, expect.stringMatching(/^ERROR invalid JSON/)],
      [4, expect.stringMatching(/^ERROR invalid JSON: Bad escaped character/)],
      [5, expect.stringMatching(/^ERROR invalid JSON/)],
    ]);
  });

  it("reports an invalid array element and goes on with the next elements", () => {
    expect(frame('[\n  {"a":1},\n  {"b":},\n  {"c":3}\n]\n')).toEqual([
      ok(2, '{"a":1}', { a: 1 }),
      failed(3, '{"b":}', /^invalid JSON/),
      ok(4, '{"c":3}', { c: 3 }),
    ]);
  });

  it("reads separators between array elements leniently, losing no element", () => {
    expect(summary(frame("[1 2,, 3,]\n"))).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
  });

  it("reports an unterminated value at end of input", () => {
    expect(frame('{"a":1}\n{\n  "b": 2\n')).toEqual([
      ok(1, '{"a":1}', { a: 1 }),
      failed(2, '{\n  "b": 2', "unterminated JSON value (input ended)"),
    ]);
    expect(frame('"no end')).toEqual([failed(1, '"no end', "unterminated string (input ended)")]);
  });

  it("reports an unterminated array at end of input, after its complete elements", () => {
    expect(frame('[\n  {"a":1},\n  {"b":\n')).toEqual([
      ok(2, '{"a":1}', { a: 1 }),
      failed(3, '{"b":', "unterminated JSON value (input ended)"),
      failed(1, "[", "unterminated JSON array (input ended)"),
    ]);
  });

  it("closes a broken indented array when a new value starts at column 0", () => {
    expect(summary(frame('[\n  {"a":1},\n  {"b":\n[\n  {"c":3}\n]\n'))).toEqual([
      [2, { a: 1 }],
      [3, "ERROR unterminated JSON value (line 4 starts a new value)"],
      [1, "ERROR unterminated JSON array (line 4 starts a new value)"],
      [5, { c: 3 }],
    ]);
  });

  it("keeps error messages on one line, even for multi-line values", () => {
    const events = frame('[\n1\n,\n]\n{\n  "a": [1,\n  ]\n}\n');
    const errors = events.filter((e) => e.error !== undefined);
    expect(errors).toHaveLength(1);
    for (const e of errors) expect(e.error).not.toMatch(/\n/);
  });

  it("survives 100,000 levels of nesting", () => {
    const deep = "[".repeat(100_000);
    expect(summary(frame(`${deep}\n{"after":1}\n`))).toEqual([
      [1, "ERROR unterminated JSON value (line 2 starts a new value)"],
      [1, "ERROR unterminated JSON array (line 2 starts a new value)"],
      [2, { after: 1 }],
    ]);
    const closed = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(frame(`${closed}\n`)).toHaveLength(1);
    const objects = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    expect(frame(`${objects}\n${deep}`).map((e) => e.line)).toEqual([1, 2, 2]);
  });
});

describe("JsonFramer: maximum event size", () => {
  const limit = "event exceeds the maximum size of 50 bytes (--max-event-bytes)";

  it("reports an oversized line as a truncated error and parses the next event normally", () => {
    const big = `{"big":"${"x".repeat(100)}"}`;
    expect(frame(`${big}\n{"a":1}\n`, { maxEventBytes: 50 })).toEqual([
      { line: 1, raw: big.slice(0, 50), error: limit, truncated: true },
      ok(2, '{"a":1}', { a: 1 }),
    ]);
  });

  it("accepts an event of exactly the maximum size", () => {
    const exact = `{"s":"${"é".repeat(21)}"}`; // 8 + 42 = 50 bytes
    expect(Buffer.byteLength(exact)).toBe(50);
    expect(frame(`${exact}\r\n`, { maxEventBytes: 50 })).toEqual([ok(1, exact, { s: "é".repeat(21) })]);
    expect(frame(`${exact}\r\n`, { maxEventBytes: 50, chunkBytes: 7 })).toEqual([ok(1, exact, { s: "é".repeat(21) })]);
    expect(frame(`${exact} \n`, { maxEventBytes: 50 })[0]?.error).toBe(limit);
  });

  it("counts bytes, not characters", () => {
    const wide = `{"s":"${"€".repeat(20)}"}`; // 20 characters of 3 bytes
    expect(wide.length).toBeLessThan(50);
    expect(frame(`${wide}\n`, { maxEventBytes: 50 })[0]).toMatchObject({ line: 1, error: limit, truncated: true });
  });

  it("reports an oversized multi-line value once and resumes after its end", () => {
    const value = ["{", '  "a": "aaaaaaaaaaaaaaaaaaaa",', '  "b": "bbbbbbbbbbbbbbbbbbbb",', '  "c": [1,', "    2]", '}  {"d":4}'];
    expect(frame(`${value.join("\n")}\n{"e":5}\n`, { maxEventBytes: 50 })).toEqual([
      { line: 1, raw: value.join("\n").slice(0, 50), error: limit, truncated: true },
      ok(6, '{"d":4}', { d: 4 }),
      ok(7, '{"e":5}', { e: 5 }),
    ]);
  });

  it("skips an oversized line that opens a multi-line value until that value ends", () => {
    const input = `{"big": "${"x".repeat(80)}",\n  "more": {\n    "x": 1\n  }\n}\n{"a":1}\n`;
    expect(summary(frame(input, { maxEventBytes: 50 }))).toEqual([
      [1, `ERROR ${limit}`],
      [6, { a: 1 }],
    ]);
  });

  it("stops skipping an oversized value when a new value starts at column 0", () => {
    const input = `{\n  "big": "${"x".repeat(80)}",\n  "cut": \n{"a":1}\n`;
    expect(summary(frame(input, { maxEventBytes: 50 }))).toEqual([
      [1, `ERROR ${limit}`],
      [4, { a: 1 }],
    ]);
  });

  it("reports an oversized array element and goes on with the next elements", () => {
    const input = `[\n  {"big": "${"x".repeat(80)}"},\n  {"a": 1}\n]\n`;
    expect(summary(frame(input, { maxEventBytes: 50 }))).toEqual([
      [2, `ERROR ${limit}`],
      [3, { a: 1 }],
    ]);
  });

  it("keeps at most 64 KiB of an oversized event as its raw text", () => {
    const line = `{"s":"${"€".repeat(100_000)}"}`;
    const [event] = frame(`${line}\n`, { maxEventBytes: 200_000 });
    expect(event).toMatchObject({ line: 1, truncated: true });
    expect(Buffer.byteLength(event!.raw)).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.byteLength(event!.raw)).toBeGreaterThan(64 * 1024 - 3);
    expect(line.startsWith(event!.raw)).toBe(true);
  });

  it("never holds more than the limit of an endless line in memory", () => {
    const framer = new JsonFramer({ maxEventBytes: 100_000 });
    const out: FramedEvent[] = [];
    const chunk = Buffer.alloc(64 * 1024, "x");
    for (let i = 0; i < 200; i++) {
      framer.push(chunk, out);
      // White-box: the buffered partial line is the only place a long line could pile up.
      expect((framer as unknown as { leftover: string }).leftover.length).toBeLessThanOrEqual(100_000);
    }
    framer.push(Buffer.from('\n{"a":1}\n'), out);
    framer.end(out);
    expect(summary(out)).toEqual([
      [1, "ERROR event exceeds the maximum size of 100000 bytes (--max-event-bytes)"],
      [2, { a: 1 }],
    ]);
  });
});

describe("JsonFramer: chunk boundaries and accounting", () => {
  const mixed = Buffer.from(
    [
      '\uFEFF{"a":1}',
      '{"é":"日本😀"}{"c":3} {"d":[1,{"e":"}"}]}',
      "",
      "[",
      '  {"f":',
      "    6},",
      '  "g", 7, [8]',
      "]",
      '{"broken": "x',
      '{\r\n  "h": 8\r\n}',
      '{"big": "' + "y".repeat(90) + '"}',
      "{",
      '  "big": "' + "z".repeat(40) + '",',
      '  "tail": "' + "z".repeat(40) + '"',
      '}{"i":9}',
      '{"j":10} garbage',
      "[]",
      "null",
      '{"k":',
      "",
    ].join("\n"),
    "utf8",
  );
  const options = { maxEventBytes: 80 };

  it("frames the same events when pushed one byte at a time", () => {
    expect(frame(mixed, { ...options, chunkBytes: 1 })).toEqual(frame(mixed, options));
  });

  it("frames the same events whatever byte offset splits the input", () => {
    const whole = frame(mixed, options);
    for (let cut = 0; cut <= mixed.length; cut++) {
      expect(frame(mixed, { ...options, cuts: [cut] }), `cut at byte ${cut}`).toEqual(whole);
    }
  });

  it("frames the same events for assorted chunk sizes", () => {
    const whole = frame(mixed, options);
    for (const chunkBytes of [2, 3, 5, 7, 11, 64]) expect(frame(mixed, { ...options, chunkBytes })).toEqual(whole);
  });

  it("frames the mixed input as expected", () => {
    expect(summary(frame(mixed, options))).toEqual([
      [1, { a: 1 }],
      [2, { é: "日本😀" }],
      [2, { c: 3 }],
      [2, { d: [1, { e: "}" }] }],
      [5, { f: 6 }],
      [7, "g"],
      [7, 7],
      [7, [8]],
      [9, "ERROR unterminated string (raw newline inside a JSON string)"],
      [10, { h: 8 }],
      [13, "ERROR event exceeds the maximum size of 80 bytes (--max-event-bytes)"],
      [14, "ERROR event exceeds the maximum size of 80 bytes (--max-event-bytes)"],
      [17, { i: 9 }],
      [18, { j: 10 }],
      [18, expect.stringMatching(/^ERROR invalid JSON/)],
      [20, null],
      [21, "ERROR unterminated JSON value (input ended)"],
    ]);
  });

  it("accounts for every value written: events plus errors, none merged or dropped", () => {
    const values: string[] = [];
    const lines: string[] = [];
    let bad = 0;
    for (let i = 0; i < 300; i++) {
      const v = JSON.stringify({ i, s: "v".repeat(i % 7), nested: { list: [i, `${i}`] } });
      switch (i % 6) {
        case 0:
          lines.push(v);
          break;
        case 1:
          lines.push(`${v}${JSON.stringify({ twin: i })}`);
          values.push(JSON.stringify({ twin: i }));
          break;
        case 2:
          lines.push(JSON.stringify(JSON.parse(v), null, 2));
          break;
        case 3:
          lines.push(`[\n  ${v},\n  ${JSON.stringify(i)}\n]`);
          values.push(JSON.stringify(i));
          break;
        case 4:
          lines.push(`{"broken": ${i},`);
          bad++;
          break;
        default:
          lines.push(`${v}\r`);
      }
      if (i % 6 !== 4) values.push(v);
    }
    const input = `${lines.join("\n")}\n`;
    for (const chunkBytes of [undefined, 1, 13, 4096]) {
      const events = frame(input, { chunkBytes });
      const good = events.filter((e) => e.error === undefined);
      expect(good.map((e) => JSON.stringify(e.value)).sort()).toEqual([...values].sort());
      expect(events.filter((e) => e.error !== undefined)).toHaveLength(bad);
      expect(good.every((e) => e.raw.length > 0 && JSON.stringify(JSON.parse(e.raw)) === JSON.stringify(e.value))).toBe(
        true,
      );
    }
  });

  it("can frame a second input after end(), starting again at line 1", () => {
    const framer = new JsonFramer({ maxEventBytes: 1000 });
    const out: FramedEvent[] = [];
    framer.push(Buffer.from('{"a":\n'), out);
    framer.end(out);
    framer.push(Buffer.from('\uFEFF{"b":2}\n'), out);
    framer.end(out);
    expect(summary(out)).toEqual([
      [1, "ERROR unterminated JSON value (input ended)"],
      [1, { b: 2 }],
    ]);
  });

  it("rejects a maximum event size that is not a positive integer", () => {
    expect(() => new JsonFramer({ maxEventBytes: 0 })).toThrow(RangeError);
    expect(() => new JsonFramer({ maxEventBytes: Number.NaN })).toThrow(RangeError);
  });
});

describe("JsonFramer: resuming mid-input (parallel parsing)", () => {
  const framed = (text: string, firstLine: number): FramedEvent[] => {
    const framer = new JsonFramer({ maxEventBytes: 1000, firstLine });
    const out: FramedEvent[] = [];
    framer.push(Buffer.from(text), out);
    framer.end(out);
    return out;
  };

  it("numbers lines from firstLine and drops a BOM at a line start, as framing from line 1 does", () => {
    expect(summary(framed('\uFEFF{"a":1}\n{"b":2}\n', 1))).toEqual([
      [1, { a: 1 }],
      [2, { b: 2 }],
    ]);
    expect(summary(framed('\uFEFF{"a":1}\n', 41))).toEqual([[41, { a: 1 }]]);
  });

  it("is at a boundary only between lines with no value, array or skipped event open", () => {
    const at = (text: string, maxEventBytes = 1000): boolean => {
      const framer = new JsonFramer({ maxEventBytes });
      framer.push(Buffer.from(text), []);
      return framer.atBoundary();
    };
    expect(at("")).toBe(true);
    expect(at('{"a":1}\n')).toBe(true);
    expect(at('not json\n"broken\n')).toBe(true);
    expect(at('{"a":1}')).toBe(false);
    expect(at('{\n  "a": 1\n')).toBe(false);
    expect(at("[\n")).toBe(false);
    expect(at('[{"a":1}]\n')).toBe(true);
    expect(at('{"big": "xxxxxxxxxxxxxxxxxxxx",\n', 20)).toBe(false);
  });
});

describe("JsonFramer: long lines in linear time", () => {
  // Quadratic framing (the held part of a line copied again for every chunk) takes minutes on
  // these inputs; linear framing takes a fraction of a second.
  const MiB = 1024 * 1024;

  it("frames an 8 MiB line pushed in 512-byte chunks, then the line after it", () => {
    const input = `{"a":"${"x".repeat(8 * MiB)}"}\r\n{"b":1}\n`;
    const events = frame(input, { maxEventBytes: 16 * MiB, chunkBytes: 512 });
    expect(events.map((e) => e.line)).toEqual([1, 2]);
    expect((events[0]!.value as { a: string }).a.length).toBe(8 * MiB);
    expect(events[1]!.value).toEqual({ b: 1 });
  });

  it("skips an over-limit 16 MiB line in small chunks and keeps the next event", () => {
    const input = `{"a":"${"x".repeat(16 * MiB)}"}\n{"b":1}\n`;
    const events = frame(input, { maxEventBytes: MiB, chunkBytes: 512 });
    expect(summary(events)).toEqual([
      [1, `ERROR event exceeds the maximum size of ${MiB} bytes (--max-event-bytes)`],
      [2, { b: 1 }],
    ]);
  });
});

describe("JsonFramer: arrays left open", () => {
  it("ends an array opened by a lone [ when a line starts another at column 0, keeping every event", () => {
    expect(summary(frame('[\n{"a":1}\n[{"b":2},{"c":3}]\n{"d":4}\n[\n{"e":5}\n]\n'))).toEqual([
      [2, { a: 1 }],
      [1, "ERROR unterminated JSON array (line 3 starts a new value)"],
      [3, { b: 2 }],
      [3, { c: 3 }],
      [4, { d: 4 }],
      [6, { e: 5 }],
    ]);
  });

  it("still reads indented nested arrays as elements of the array around them", () => {
    expect(summary(frame('[\n  {"a":1},\n  [1]\n]\n'))).toEqual([
      [2, { a: 1 }],
      [3, [1]],
    ]);
  });
});
