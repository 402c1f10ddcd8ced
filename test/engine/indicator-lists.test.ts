/** EventState: each p_any list deduplicated and sorted, whatever its length. */
import { describe, expect, it } from "vitest";
import { P_ANY_FIELDS } from "../../src/engine/indicators/fields.js";
import { EventState } from "../../src/engine/state.js";

const IPS = P_ANY_FIELDS.indexOf("p_any_ip_addresses");

function listOf(values: string[]): string {
  const s = new EventState();
  s.reset(false);
  for (const v of values) s.add(IPS, v);
  return s.indicatorsJson(null);
}

describe("indicator lists", () => {
  it("sorts and deduplicates lists of two as it does longer ones", () => {
    expect(listOf(["192.0.2.1", "192.0.2.1"])).toBe(',"p_any_ip_addresses":["192.0.2.1"]');
    expect(listOf(["192.0.2.9", "192.0.2.10"])).toBe(',"p_any_ip_addresses":["192.0.2.10","192.0.2.9"]');
    expect(listOf(["192.0.2.10", "192.0.2.9"])).toBe(',"p_any_ip_addresses":["192.0.2.10","192.0.2.9"]');
    expect(listOf(["b", "a", "b"])).toBe(',"p_any_ip_addresses":["a","b"]');
  });

  it("orders by UTF-16 code units, as sort does", () => {
    const pair = ["\u{1F600}", "\uFB01"];
    expect(listOf(pair)).toBe(`,"p_any_ip_addresses":${JSON.stringify([...pair].sort())}`);
    expect(listOf([...pair].reverse())).toBe(`,"p_any_ip_addresses":${JSON.stringify([...pair].sort())}`);
  });

  it("sorts and deduplicates short and long lists as sort() and a Set do, duplicates and astral characters included", () => {
    // Short lists take an insertion sort, long ones Array.prototype.sort: both must agree with sort().
    const alphabet = ["a", "b", "B", "\u00e9", "\uFB01", "\u{1F600}", "1", "10", "9"];
    let x = 0x2545f491;
    const next = (n: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    for (let round = 0; round < 2000; round++) {
      const length = 3 + next(30);
      const values = Array.from({ length }, () => Array.from({ length: 1 + next(3) }, () => alphabet[next(alphabet.length)]).join(""));
      expect(listOf(values)).toBe(`,"p_any_ip_addresses":${JSON.stringify([...new Set(values)].sort())}`);
    }
  });

  it("writes every list as JSON.stringify does, and closes the record after the last one when asked", () => {
    const fields = ["p_any_ip_addresses", "p_any_domain_names", "p_any_emails", "p_any_serial_numbers"].map((f) => P_ANY_FIELDS.indexOf(f as (typeof P_ANY_FIELDS)[number]));
    const cases: string[][][] = [
      [["192.0.2.1"]],
      [["192.0.2.1"], ["example.com"]],
      [[], ["a\"b"], [], ["x", "y"]],
      [["192.0.2.1"], [], ["e\u0000@x"], ["\ud800"]],
      [[], [], [], ["s", "s"]],
    ];
    for (const values of cases) {
      const s = new EventState();
      s.reset(false);
      values.forEach((list, i) => list.forEach((v) => s.add(fields[i] as number, v)));
      const expected = values
        .map((list, i) => (list.length === 0 ? "" : `,${JSON.stringify(P_ANY_FIELDS[fields[i] as number])}:${JSON.stringify([...new Set(list)].sort())}`))
        .join("");
      expect(s.indicatorsJson(null)).toBe(expected);
      expect(s.indicatorsJson(null, true)).toBe(`${expected}}`);
    }
  });
});
