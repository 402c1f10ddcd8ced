/** bigint coercion of text: exact at every length, whether or not it goes through BigInt. */
import { describe, expect, it } from "vitest";
import { toBigint } from "../../src/engine/coerce.js";
import { restoreRaw } from "../../src/engine/raw-json.js";
import { EventState } from "../../src/engine/state.js";

/** The value as it would be written in a record. */
const written = (text: string): string => restoreRaw(JSON.stringify(toBigint(text, new EventState())));

describe("bigint from text", () => {
  it("writes integer text of every length as its exact value, signs and leading zeros read as numbers are", () => {
    for (let digits = 1; digits <= 18; digits++) {
      for (const text of ["9".repeat(digits), `-${"9".repeat(digits)}`, `+1${"0".repeat(digits - 1)}`, `0${"7".repeat(digits)}`]) {
        expect(written(text)).toBe(BigInt(text).toString());
      }
    }
    expect(written("-0")).toBe("0");
    expect(written("9007199254740993")).toBe("9007199254740993");
  });

  it("refuses text that is not an integer or is beyond 64 bits", () => {
    expect(() => written("1.5")).toThrow("expected an integer");
    expect(() => written("9223372036854775808")).toThrow("out of range for bigint");
  });
});
