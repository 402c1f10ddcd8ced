import { describe, expect, it } from "vitest";
import { email } from "../../src/engine/indicators/email.js";
import { scan } from "./recorder.js";

describe("email", () => {
  it.each([
    ["alice@example.com", "alice@example.com"],
    ["  Bob.Smith+tag@Example.COM ", "Bob.Smith+tag@Example.COM"],
    ["root@localhost", "root@localhost"],
    ["用户@例子.广告", "用户@例子.广告"],
  ])("accepts %j and stores it trimmed, case kept", (input, stored) => {
    expect(scan(email, input)).toEqual([["p_any_emails", stored]]);
  });

  it.each([
    ["@", "nothing around the @ (Panther's engine accepts this)"],
    ["@example.com", "an empty local part"],
    ["alice@", "an empty domain"],
    ["a@b@c", "two @ signs"],
    ["alice smith@example.com", "a space"],
    ["alice@exa\u00a0mple.com", "a no-break space"],
    ["alice.example.com", "no @"],
    ["", "nothing"],
  ])("rejects %j: %s", (input) => {
    expect(scan(email, input)).toEqual([]);
  });
});
