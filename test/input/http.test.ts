/** What a webhook body may be declared as, and what counts as no JSON at all. */
import { describe, expect, it } from "vitest";
import { notJson, unsupportedMediaType } from "../../src/server/http-body.js";

describe("unsupportedMediaType", () => {
  it("accepts JSON media types, text, curl's default and no type at all", () => {
    for (const t of [undefined, "application/json", "application/json; charset=utf-8", "application/x-ndjson", "application/vnd.api+json", "text/plain", "application/x-www-form-urlencoded"]) {
      expect(unsupportedMediaType({ "content-type": t })).toBeUndefined();
    }
  });

  it("refuses media types that are not JSON", () => {
    expect(unsupportedMediaType({ "content-type": "text/html" })).toBe("unsupported Content-Type text/html: send JSON, NDJSON or a JSON array");
    expect(unsupportedMediaType({ "content-type": "multipart/form-data; boundary=x" })).toMatch(/^unsupported Content-Type multipart\/form-data/);
  });

  it("accepts gzip, deflate, br and identity encodings, in lists too, and refuses others", () => {
    for (const e of ["gzip", "x-gzip", "deflate", "br", "identity", "gzip, br", "GZIP"]) expect(unsupportedMediaType({ "content-encoding": e })).toBeUndefined();
    expect(unsupportedMediaType({ "content-encoding": "zstd" })).toBe("unsupported Content-Encoding zstd: use gzip, deflate or br");
  });
});

describe("notJson", () => {
  it("passes anything that starts like a JSON value, after a BOM and whitespace", () => {
    for (const body of ['{"a":1}', "[1]", '\ufeff  \n{"a":1}', "null", "42", '"s"', "{broken"]) expect(notJson(Buffer.from(body))).toBeUndefined();
  });

  it("names empty bodies and bodies that cannot be JSON", () => {
    expect(notJson(Buffer.from(" \r\n\t"))).toBe("the body is empty");
    expect(notJson(Buffer.from("<xml/>"))).toBe("the body is not JSON: send JSON, NDJSON or a JSON array");
    expect(notJson(Buffer.from("a=1&b=2"))).toBe("the body is not JSON: send JSON, NDJSON or a JSON array");
  });
});
