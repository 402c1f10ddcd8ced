/** The pieces native parsers share: case-insensitive keys and AWS's space-separated tokens. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileSchema, type CompiledSchema } from "../../../src/engine/compile.js";
import { matchKeys } from "../../../src/engine/native/keys.js";
import { splitTokens } from "../../../src/engine/native/tokens.js";
import { checkSchema } from "../../../src/language/check.js";

function shapeOf(fields: string): CompiledSchema["shape"] {
  const { schema } = checkSchema(parse(`fields:\n${fields}`, { version: "1.2" }), "Custom.K");
  const compiled = compileSchema(schema as NonNullable<typeof schema>);
  if (Array.isArray(compiled)) throw new Error("schema does not compile");
  return compiled.shape;
}

describe("matchKeys", () => {
  const shape = shapeOf(`  - {name: eventName, type: string}
  - name: resources
    type: array
    element: {type: object, fields: [{name: arn, type: string}]}
  - {name: requestParameters, type: json}`);

  it("renames keys that equal a schema key ignoring case, through arrays of objects", () => {
    expect(matchKeys({ EVENTNAME: "x", Resources: [{ ARN: "arn:aws:s3:::b" }] }, shape)).toEqual({ eventName: "x", resources: [{ arn: "arn:aws:s3:::b" }] });
  });

  it("returns the same object when every key already matches, and leaves the input untouched", () => {
    const exact = { eventName: "x", resources: [{ arn: "a" }] };
    expect(matchKeys(exact, shape)).toBe(exact);
    const input = { EventName: "x" };
    matchKeys(input, shape);
    expect(input).toEqual({ EventName: "x" });
  });

  it("in place, copies only the objects whose own keys are renamed: the event and the arrays above them stay", () => {
    const resources = [{ ARN: "arn:aws:s3:::b" }, { arn: "kept" }];
    const event = { eventName: "x", resources };
    const second = resources[1];
    const out = matchKeys(event, shape, true);
    expect(out).toBe(event);
    expect(out.resources).toBe(resources);
    expect(resources[1]).toBe(second);
    expect(out).toEqual({ eventName: "x", resources: [{ arn: "arn:aws:s3:::b" }, { arn: "kept" }] });
    // Not in place, the input is left as it was.
    const input = { eventName: "x", resources: [{ ARN: "a" }] };
    const copy = matchKeys(input, shape);
    expect(copy).not.toBe(input);
    expect(input).toEqual({ eventName: "x", resources: [{ ARN: "a" }] });
  });

  it("copies every key after a renamed one in its order, schema leaves and json fields included, in place or not", () => {
    for (const inPlace of [false, true]) {
      const input = JSON.parse('{"EventName":"x","requestParameters":{"n":1},"resources":[{"ARN":"a","arn2":2}],"extra":true}') as Record<string, unknown>;
      const out = matchKeys(input, shape, inPlace);
      expect(JSON.stringify(out)).toBe('{"eventName":"x","requestParameters":{"n":1},"resources":[{"arn":"a","arn2":2}],"extra":true}');
    }
  });

  it("lets an exact key win over a case variant, and leaves keys inside json fields alone", () => {
    expect(matchKeys({ eventName: "exact", EVENTNAME: "variant", requestParameters: { RoleArn: "r" } }, shape)).toEqual({
      eventName: "exact",
      EVENTNAME: "variant",
      requestParameters: { RoleArn: "r" },
    });
  });

  it("keeps __proto__ and constructor as plain data in the copy", () => {
    const input = JSON.parse('{"EventName":"x","__proto__":{"polluted":true},"constructor":1}') as Record<string, unknown>;
    const out = matchKeys(input, shape);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["eventName", "__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ polluted: true });
    expect(JSON.stringify(out)).toBe('{"eventName":"x","__proto__":{"polluted":true},"constructor":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("splitTokens", () => {
  const split = (line: string): string[] | string => {
    const out: string[] = [];
    const n = splitTokens(line, out);
    return typeof n === "string" ? n : out.slice(0, n);
  };

  it("splits on runs of spaces, unquotes quoted values and unbrackets bracketed ones", () => {
    expect(split('a  "b c" [d e] "" -')).toEqual(["a", "b c", "d e", "", "-"]);
  });

  it("reads a backslash-escaped quote inside quotes", () => {
    expect(split('"say \\"hi\\"" x')).toEqual(['say "hi"', "x"]);
  });

  it("says where an unclosed quote or bracket opened", () => {
    expect(split('a "b c')).toBe("a quoted value opened at column 3 is not closed");
    expect(split("a [b c")).toBe("a [bracketed] value opened at column 3 is not closed");
  });
});
