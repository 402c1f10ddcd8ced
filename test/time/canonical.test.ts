import { describe, expect, it } from "vitest";
import { isCanonicalRfc3339, scanRfc3339, SCAN_CANONICAL } from "../../src/engine/time/rfc3339.js";

describe("isCanonicalRfc3339", () => {
  it("agrees with the full scanner on canonical and near-canonical timestamps", () => {
    const samples = [
      "2026-01-01T00:00:01.648Z",
      "2026-01-01T00:00:01Z",
      "2026-01-01T00:00:01.640Z",
      "2026-01-01T00:00:01.000Z",
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
    ];
    for (const s of samples) expect([s, isCanonicalRfc3339(s)]).toEqual([s, scanRfc3339(s) === SCAN_CANONICAL]);
  });
});
