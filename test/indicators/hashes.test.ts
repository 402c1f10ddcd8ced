import { describe, expect, it } from "vitest";
import { md5, sha1, sha256 } from "../../src/engine/indicators/hashes.js";
import { scan } from "./recorder.js";

const hex = (n: number, digit = "a"): string => digit.repeat(n);

describe.each([
  { scanner: md5, field: "p_any_md5_hashes", length: 32 },
  { scanner: sha1, field: "p_any_sha1_hashes", length: 40 },
  { scanner: sha256, field: "p_any_sha256_hashes", length: 64 },
])("$scanner.name", ({ scanner, field, length }) => {
  it(`accepts exactly ${length} hex digits and stores them lowercased`, () => {
    const mixed = "0123456789ABCDEFabcdef".repeat(3).slice(0, length);
    expect(scan(scanner, mixed)).toEqual([[field, mixed.toLowerCase()]]);
  });

  it("trims surrounding whitespace first", () => {
    expect(scan(scanner, `  ${hex(length, "F")}\n`)).toEqual([[field, hex(length, "f")]]);
  });

  it.each([
    ["one digit short", hex(length - 1)],
    ["one digit long", hex(length + 1)],
    ["a non-hex letter", `${hex(length - 1)}g`],
    ["an inner space", `${hex(length / 2)} ${hex(length / 2 - 1)}`],
    ["a 0x prefix", `0x${hex(length - 2)}`],
    ["nothing", ""],
  ])("rejects a value with %s", (_why, input) => {
    expect(scan(scanner, input)).toEqual([]);
  });
});

describe("hash lengths", () => {
  it("never confuses one digest kind for another", () => {
    expect(scan(md5, hex(40))).toEqual([]);
    expect(scan(sha1, hex(64))).toEqual([]);
    expect(scan(sha256, hex(32))).toEqual([]);
  });
});
