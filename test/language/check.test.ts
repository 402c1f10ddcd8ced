/** Semantic rules of the checker that parse and validate-schema share. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkSchema } from "../../src/language/check.js";

const issues = (text: string) => checkSchema(parse(text, { version: "1.2" }), "Custom.T").issues.map((i) => `${i.rule} ${i.path.join(".")}${i.atKey ? " (key)" : ""}: ${i.message}`);

describe("keys that do nothing on a type are errors", () => {
  it("rejects indicators on anything but strings, pointing arrays of non-strings at their element and refs at their definition", () => {
    expect(issues(`fields:
  - {name: n, type: int, indicators: [ip]}
  - {name: a, type: array, indicators: [ip], element: {type: int}}
  - {name: r, type: ref, target: Host, indicators: [hostname]}
definitions: {Host: {type: string}}`)).toEqual([
      "indicators-not-string fields.0.indicators (key): indicators only apply to string values, not to an int",
      "indicators-not-string fields.1.indicators (key): indicators only apply to string values, not to an array (put them on the array's element)",
      'indicators-not-string fields.2.indicators (key): indicators only apply to string values, not to a ref (a ref takes everything from its definition "Host")',
    ]);
  });

  it("accepts indicators on an array of strings (Panther's managed schemas have them) with a warning suggesting the element form", () => {
    expect(issues(`fields:
  - {name: To, type: array, indicators: [email], element: {type: string}}`)).toEqual([
      "indicators-on-array fields.0.indicators: indicators on an array apply to each of its strings; say so on the element instead: element: {type: string, indicators: [...]}",
    ]);
  });

  it("rejects isEventTime: true on anything but timestamps (false is harmless)", () => {
    expect(issues(`fields:
  - {name: s, type: string, isEventTime: true}
  - {name: b, type: boolean, isEventTime: false}`)).toEqual(["event-time-not-timestamp fields.0.isEventTime (key): isEventTime only applies to timestamps, not to a string"]);
  });

  it("rejects fields, element, target, time formats, validate and isEmbeddedJSON where they do not apply", () => {
    expect(issues(`fields:
  - {name: a, type: string, fields: [{name: x, type: int}]}
  - {name: b, type: int, element: {type: int}}
  - {name: c, type: json, target: X}
  - {name: d, type: float, timeFormats: [unix]}
  - {name: e, type: bigint, validate: {allow: ["1"]}}
  - {name: f, type: boolean, isEmbeddedJSON: true}
  - {name: g, type: json, isEmbeddedJSON: true}`)).toEqual([
      "inapplicable-key fields.0.fields (key): fields has no effect on a string; it applies to object values",
      "inapplicable-key fields.1.element (key): element has no effect on an int; it applies to array values",
      "inapplicable-key fields.2.target (key): target has no effect on a json; it applies to ref values",
      "inapplicable-key fields.3.timeFormats (key): timeFormats has no effect on a float; it applies to timestamp values",
      "inapplicable-key fields.4.validate (key): validate has no effect on a bigint; it applies to string values",
      "inapplicable-key fields.5.isEmbeddedJSON (key): isEmbeddedJSON has no effect on a boolean; it applies to object, array and json values",
    ]);
  });
});

describe("where problems are reported", () => {
  it("puts missing keys at the key's place, and tells a missing name from a wrong one", () => {
    expect(issues(`fields:
  - {name: t, type: timestamp}
  - {name: 5, type: string}
  - {type: string}
  - {name: x}
  - {name: r, type: ref, target: [A]}`)).toEqual([
      "missing-time-format fields.0.timeFormat: timestamp has no timeFormat (e.g. rfc3339, unix_ms, or a strftime format)",
      "type-mismatch fields.1.name: name must be a string, got 5",
      "empty-name fields.2.name: field has no name",
      "missing-type fields.3.type: field has no type",
      "type-mismatch fields.4.target: target must be the name of a definition, got a list",
    ]);
  });

  it("points at conflicting time keys, bad definition names and a native parser's missing name", () => {
    expect(issues(`parser: {native: {}}
fields:
  - {name: t, type: timestamp, timeFormat: unix, timeFormats: [unix]}
definitions: {bad_name: {type: string}}`)).toEqual([
      "conflicting-keys fields.0.timeFormats (key): use either timeFormat or timeFormats, not both",
      "missing-key parser.native.name: parser.native needs a name (the Panther parser it stands for)",
      'invalid-name definitions.bad_name (key): definition name "bad_name" must start with an upper-case letter and use only letters and digits',
    ]);
  });
});
