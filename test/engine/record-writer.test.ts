/**
 * The writer compile.ts generates for text schemas (a flat record of single values) writes the
 * record's fields as JSON text directly: its text must be JSON.stringify's of the object the
 * normalizer builds, for every value, escapes included, and it must fail where that one fails.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FieldError } from "../../src/engine/errors.js";
import { EventState } from "../../src/engine/state.js";
import type { LogType } from "../../src/engine/logtype.js";
import { EventProcessor } from "../../src/engine/process.js";
import { RowIds } from "../../src/engine/rowid.js";
import { logType, processor } from "../helpers/engine.js";

const SCHEMA = `
parser:
  fastmatch:
    match: ['%{text} %{small}']
fields:
  - name: text
    type: string
    indicators: [ip]
  - name: "0"
    type: string
  - name: __proto__
    type: string
  - name: small
    type: smallint
  - name: count
    type: bigint
  - name: whole
    type: int
  - name: ratio
    type: float
  - name: flag
    type: boolean
  - name: when
    type: timestamp
    timeFormat: rfc3339
    isEventTime: true
  - name: copied
    type: string
    copy:
      from: text
`;

/** The writer's text as a record object, and the object the normalizer builds, serialized. */
function both(type: LogType, fields: Record<string, string>): { written: string | FieldError; built: string | FieldError } {
  const writer = type.compiled.writer;
  if (!writer) throw new Error("no writer");
  const run = <T>(f: () => T): T | FieldError => {
    try {
      return f();
    } catch (e) {
      if (e instanceof FieldError) return e;
      throw e;
    }
  };
  const written = run(() => {
    const c = new EventState();
    const text = writer({ ...fields }, c);
    return `${text}${["{", '"', ""][c.open]}}`;
  });
  const built = run(() => {
    const body = type.compiled.body({ ...fields }, new EventState());
    return typeof body === "string" ? body : JSON.stringify(body);
  });
  return { written, built };
}

describe("the record writer of text schemas", () => {
  const type = logType(SCHEMA);

  it("is generated for a text schema of single values, and not for a JSON schema or one with a json field", () => {
    expect(type.compiled.writer).toBeTypeOf("function");
    expect(logType("fields:\n  - name: a\n    type: string\n").compiled.writer).toBeUndefined();
    expect(logType("parser:\n  fastmatch:\n    match: ['%{a}']\nfields:\n  - name: a\n    type: json\n").compiled.writer).toBeUndefined();
  });

  it("escapes quotes, backslashes, control characters and lone surrogates as JSON.stringify does, and keeps other text as it is", () => {
    for (const text of ['say "hi"', "back\\slash", "tab\there", "nul\u0000", "\u001f", "del\u007f", "é€😀", "lone \ud800 high", "lone \udfff low", "\u2028\u2029", ""]) {
      const { written, built } = both(type, { text, "0": text, copied: text });
      expect(written).toBe(built);
    }
    // The same two values through the writer's own test for escaping.
    expect(both(type, { text: 'a"b\n' }).written).toContain(`"text":${JSON.stringify('a"b\n')}`);
    expect(both(type, { text: "plain" }).written).toContain('"text":"plain"');
  });

  it("writes numbers, booleans, timestamps, index-like and __proto__ names like the object path, a bigint beyond 2^53 included", () => {
    // JSON.parse makes __proto__ an own key, as a parser's fields object has it.
    const fields = JSON.parse('{"text":"1.2.3.4","0":"zero","__proto__":"proto","small":"-0","count":"9007199254740993","ratio":"1e21","flag":"True","when":"2026-01-02T03:04:05.600+01:00"}') as Record<string, string>;
    const { written, built } = both(type, fields);
    expect(written).toBe(built);
    expect(written).toContain('"0":"zero"');
    expect(written).toContain('"__proto__":"proto"');
  });

  it("fails where the object path fails, with the same field path", () => {
    const failing: Array<Record<string, string>> = [{ small: "40000" }, { count: "x" }, { flag: "maybe" }, { when: "yesterday" }];
    for (const fields of failing) {
      const { written, built } = both(type, fields);
      expect(written).toBeInstanceOf(FieldError);
      expect((written as FieldError).path).toEqual((built as FieldError).path);
      expect((written as FieldError).message).toBe((built as FieldError).message);
    }
  });

  it("writes integers of every spelling as the object path does, taking JSON's own spelling as it is", () => {
    const spellings = ["0", "-0", "7", "007", "+5", "-12", "- 1", "--1", "-", "1-", "32767", "32768", "-32768", "-32769", "2147483647", "2147483648", "-2147483648", "-2147483649",
      "123456789012345", "-123456789012345", "1234567890123456", "9007199254740993", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
      "1e3", "1.0", " 5", "5 ", "\u0663", "0x10", ""];
    for (const v of spellings) {
      for (const key of ["small", "whole", "count"]) {
        const { written, built } = both(type, { [key]: v });
        if (built instanceof FieldError) expect((written as FieldError).message, `${key} ${JSON.stringify(v)}`).toBe(built.message);
        else expect(written, `${key} ${JSON.stringify(v)}`).toBe(built);
      }
    }
    // JSON's spelling is kept as the very string; others are written as JSON writes the number.
    expect(both(type, { small: "-12", count: "123456789012345" }).written).toContain('"small":-12,"count":123456789012345');
    expect(both(type, { small: "007", whole: "-0", count: "+5" }).written).toContain('"small":7,"count":5,"whole":0');
  });

  it("agrees with the object path on any strings", () => {
    const value = fc.option(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("", "-", "12", "1.5", "true", "2026-01-01T00:00:00Z")), { nil: undefined });
    fc.assert(
      fc.property(fc.record({ text: value, "0": value, small: value, count: value, whole: value, ratio: value, flag: value, when: value }), (input) => {
        const fields = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const { written, built } = both(type, fields);
        if (built instanceof FieldError) expect((written as FieldError).message).toBe(built.message);
        else expect(written).toBe(built);
      }),
      { numRuns: 100 },
    );
  });

  it("gives the engine the same record line, p_ fields and indicators included", () => {
    const line = "192.0.2.7 12";
    const withWriter = processor([type]).processLine(line, processor([type]).openStream());
    // The same type without its writer takes the object path.
    const plain = { ...type, compiled: { ...type.compiled, writer: undefined } };
    const withoutWriter = processor([plain]).processLine(line, processor([plain]).openStream());
    expect(withWriter).toEqual(withoutWriter);
    expect(withWriter?.ok && JSON.parse(withWriter.json)).toMatchObject({ p_any_ip_addresses: ["192.0.2.7"] });
  });

  it("counts unknown fields and ranks failing types from the parser's dense fields as from its plain ones", () => {
    // The writer reads the parser's dense fields (every name a key, undefined where left out).
    const regex = (name: string, code: string, more = "") =>
      logType(`
parser:
  regex:
    match: ['^(?P<host>\\S+) (?P<extra>\\S+) (?P<code>\\S+)(?: (?P<rest>.*))?$']
    emptyValues: ["-"]
    expandFields:
      both: "%{extra}%{rest}"
fields:
  - name: host
    type: string
    indicators: [ip, hostname]
  - name: code
    type: ${code}
    required: true
  - name: rest
    type: string
${more}`, name);
    // B declares extra too: a left-out extra must not count as a field B recognised.
    const types = [regex("Custom.A", "smallint"), regex("Custom.B", "int", "  - name: extra\n    type: string\n")];
    const plain = types.map((t) => ({ ...t, compiled: { ...t.compiled, writer: undefined } }));
    const lines = ["192.0.2.1 - 200", "host.example x 404 more text", "192.0.2.2 - 99999", "h - 99999999999", "h y -", "h - - z"];
    const run = (ts: typeof types) => {
      const unknownFields = new Map<string, number>();
      const p = new EventProcessor(ts, { rowIds: new RowIds(1, 0), unknownFields });
      p.setClock(0, "1970-01-01T00:00:00Z");
      const stream = p.openStream();
      const outcomes = lines.map((line) => {
        const r = p.processLine(line, stream);
        return r?.ok ? JSON.parse(r.json.replace(/"p_row_id":"[^"]*",/, "")) : r;
      });
      return { outcomes, unknown: [...unknownFields] };
    };
    const dense = run(types);
    expect(dense).toEqual(run(plain));
    expect(dense.unknown).toEqual([["extra", 1], ["both", 1]]);
    expect(dense.outcomes[3]).toMatchObject({ ok: false, logType: "Custom.A" });
  });

  it("writes a regex schema's plain fields without escape checks and the rest with them, as the object path does", () => {
    const type = logType(`
parser:
  regex:
    match: ['^%{IPORHOST:host} %{WORD:verb} (?P<path>\\S+) "%{DATA:agent}"(?: %{INT:n})?$']
fields:
  - name: host
    type: string
  - name: verb
    type: string
  - name: path
    type: string
  - name: agent
    type: string
  - name: n
    type: string
    copy:
      from: agent
`);
    // n is plain in the line, but the field n copies agent: it is checked.
    expect([...(type.text?.plainFields ?? [])].sort()).toEqual(["host", "n", "verb"]);
    const plain = { ...type, compiled: { ...type.compiled, writer: undefined } };
    const lines = ['192.0.2.1 GET /a"b "x \\"quoted\\" \u0001" 7', "host.example PUT /\\ \"\ud800\"", '2001:db8::1 x_y /p "" 0'];
    for (const line of lines) {
      const withWriter = processor([type]).processLine(line, processor([type]).openStream());
      const withoutWriter = processor([plain]).processLine(line, processor([plain]).openStream());
      expect(withWriter?.ok, line).toBe(true);
      expect(withWriter).toEqual(withoutWriter);
    }
  });
});
