import { describe, expect, it } from "vitest";
import { canonicalUtcRfc3339, scanned, scanRfc3339, SCAN_CANONICAL, SCAN_VALID } from "../../src/engine/time/rfc3339.js";
import { formatEpoch } from "../../src/engine/time/civil.js";

/** What the full scanner makes of `s`: its canonical output, or undefined when it is invalid. */
function slowPath(s: string): string | undefined {
  const r = scanRfc3339(s);
  if (r === SCAN_CANONICAL) return s;
  return r === SCAN_VALID ? formatEpoch(scanned.sec, scanned.nsec) : undefined;
}

describe("canonicalUtcRfc3339", () => {
  const samples = [
    "2026-01-01T00:00:01.648Z",
    "2026-01-01T00:00:01Z",
    "2026-01-01T00:00:01.640Z",
    "2026-01-01T00:00:01.000Z",
    "2026-01-01T00:00:01.0Z",
    "2026-01-01T00:00:01.100000000Z",
    "2026-01-01T00:00:01.Z",
    "2024-02-29T23:59:59.123456789Z",
    "2023-02-29T23:59:59Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01t00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:60:00Z",
    "2026-01-01T00:00:60Z",
    "2026-01-01 00:00:00Z",
    "2026-01-01T00:00:00z",
    "2026-01-01T00:00:00+00:00",
    "2026-01-01T00:00:00.1234567891Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z",
    "2026-1-01T00:00:00Z",
    "20x6-01-01T00:00:00Z",
    "2026-01-01T00:00:00.12a0Z",
  ];

  it("gives the full scanner's output whenever it answers, trimming trailing fraction zeros", () => {
    for (const s of samples) {
      const fast = canonicalUtcRfc3339(s);
      if (fast !== undefined) expect([s, fast]).toEqual([s, slowPath(s)]);
    }
    expect(canonicalUtcRfc3339("2026-01-01T00:00:01.640Z")).toBe("2026-01-01T00:00:01.64Z");
    expect(canonicalUtcRfc3339("2026-01-01T00:00:01.000Z")).toBe("2026-01-01T00:00:01Z");
  });

  it("answers for every UTC timestamp in the output's layout and leaves the rest to the scanner", () => {
    const answered = samples.filter((s) => canonicalUtcRfc3339(s) !== undefined);
    expect(answered).toEqual(samples.filter((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(s) && slowPath(s) !== undefined));
  });
});
