/** Webhook credentials: shared-secret header (Hex) and bearer token (Auth0). */
import { describe, expect, it } from "vitest";
import { authorized, bearerAuth, secretHeaderAuth, type WebhookAuth } from "../../src/server/auth.js";

function auth(a: WebhookAuth | string): WebhookAuth {
  if (typeof a === "string") throw new Error(a);
  return a;
}

describe("shared secret header", () => {
  const hex = auth(secretHeaderAuth("X-Hex-Secret: s3cret"));

  it("accepts the right value under the header's lowercased name (as Node delivers headers)", () => {
    expect(authorized({ "x-hex-secret": "s3cret" }, hex)).toBe(true);
  });

  it("refuses a wrong, longer, empty or missing value", () => {
    for (const v of ["s3cre", "s3cret!", "", undefined]) expect(authorized({ "x-hex-secret": v }, hex)).toBe(false);
    expect(authorized({}, hex)).toBe(false);
  });

  it("explains a malformed NAME:VALUE without repeating the value", () => {
    for (const spec of ["nocolon-zz9", ":zz9", "X Bad:zz9", "X-Ok:"]) {
      expect(secretHeaderAuth(spec)).toBe("--secret-header must be NAME:VALUE (a header name, a colon, then the secret)");
    }
    expect(secretHeaderAuth("Authorization:abc")).toBe("--secret-header cannot use the Authorization header; use --bearer for bearer tokens");
  });
});

describe("bearer token", () => {
  const a0 = auth(bearerAuth("tok-123"));

  it("accepts Authorization: Bearer <token>, the scheme in any case", () => {
    expect(authorized({ authorization: "Bearer tok-123" }, a0)).toBe(true);
    expect(authorized({ authorization: "bearer tok-123" }, a0)).toBe(true);
  });

  it("refuses another token, another scheme, a bare token and nothing", () => {
    for (const h of ["Bearer tok-124", "Basic tok-123", "tok-123", "Bearer", "Bearer tok-123 extra", undefined]) {
      expect(authorized({ authorization: h }, a0)).toBe(false);
    }
  });

  it("rejects tokens that could never arrive in a header", () => {
    expect(bearerAuth("")).toBe("--bearer must be a token without spaces");
    expect(bearerAuth("two words")).toBe("--bearer must be a token without spaces");
  });
});

it("lets everything through without configured auth", () => {
  expect(authorized({}, { kind: "none" })).toBe(true);
});
