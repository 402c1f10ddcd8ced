/** Values Panther's engine reads and writes its own way (SPEC §3 decisions for Panther's schemas). */
import { describe, expect, it } from "vitest";
import { logType, normalizeJson } from "../helpers/engine.js";

describe("booleans", () => {
  const t = logType(`fields:
  - {name: b, type: boolean}`);

  it.each([
    ["1", true], ["t", true], ["T", true], ["TRUE", true], ["true", true], ["True", true],
    ["0", false], ["f", false], ["F", false], ["FALSE", false], ["false", false], ["False", false],
  ])("accepts the string %j as Go's ParseBool does", (input, want) => {
    expect(normalizeJson(t, { b: input })).toMatchObject({ b: want });
  });

  it.each([[true, true], [false, false], [1, true], [0, false]])("accepts the JSON value %j", (input, want) => {
    expect(normalizeJson(t, { b: input })).toMatchObject({ b: want });
  });

  it.each(["yes", "tRUE", "on", " true", "2"])("rejects the string %j", (input) => {
    expect(normalizeJson(t, { b: input })).toEqual({ error: `b: expected a boolean, got ${JSON.stringify(input)}` });
  });
});

describe("null values", () => {
  const t = logType(`fields:
  - {name: responseElements, type: json}
  - {name: s, type: string}
  - {name: o, type: object, fields: [{name: inner, type: json}, {name: n, type: bigint}]}`);

  it("writes a json field holding null as null, and drops nulls of other types", () => {
    const rec = normalizeJson(t, { responseElements: null, s: null, o: { inner: null, n: null } });
    expect(Object.keys(rec).slice(0, 2)).toEqual(["responseElements", "o"]);
    expect(rec).toMatchObject({ responseElements: null, o: { inner: null } });
    expect((rec as { o: object }).o).toEqual({ inner: null });
  });

  it("lets a null satisfy a required json field, as Panther's raw JSON does", () => {
    const req = logType(`fields:
  - {name: j, type: json, required: true}`);
    expect(normalizeJson(req, { j: null })).toMatchObject({ j: null });
    expect(normalizeJson(req, {})).toEqual({ error: "j: required field is missing" });
  });
});

describe("indicators on an array of strings", () => {
  it("apply to every element, together with the element's own", () => {
    const t = logType(`fields:
  - {name: To, type: array, indicators: [email], element: {type: string}}
  - {name: Urls, type: array, indicators: [url], element: {type: string, indicators: [domain]}}`);
    const rec = normalizeJson(t, { To: ["bob@example.com", "carol@example.org"], Urls: ["mail.example.net"] });
    expect(rec).toMatchObject({
      p_any_emails: ["bob@example.com", "carol@example.org"],
      p_any_domain_names: ["mail.example.net"],
    });
  });
});

describe("aws_instance_id", () => {
  it("takes i- followed by letters and digits, as in Panther's own test data", () => {
    const t = logType(`fields:
  - {name: id, type: string, indicators: [aws_instance_id]}`);
    expect(normalizeJson(t, { id: "i-0d15cd0d3example" })).toMatchObject({ p_any_aws_instance_ids: ["i-0d15cd0d3example"] });
    expect(normalizeJson(t, { id: "i-not-one" })).not.toHaveProperty("p_any_aws_instance_ids");
  });
});
