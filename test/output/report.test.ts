import { describe, expect, it } from "vitest";
import { summary } from "../../src/output/report.js";
import { RunStats } from "../../src/pipeline/stats.js";
import type { Palette } from "../../src/output/color.js";

const plain = (s: string): string => s;
const PLAIN: Palette = { red: plain, green: plain, yellow: plain, cyan: plain, magenta: plain, gray: plain, dimCyan: plain };

describe("the run summary", () => {
  it("says nothing of a rate for a server that received nothing (no \"0 events/s\")", () => {
    expect(summary(new RunStats(), 42.5, PLAIN)).toBe("0 events → 0 records, 0 errors in 42.50s");
  });

  it("counts in the singular and gives the rate of a run of a second or more", () => {
    const stats = new RunStats();
    stats.count("Hex.Audit", true);
    expect(summary(stats, 0.2, PLAIN).split("\n")[0]).toBe("1 event → 1 record, 0 errors in 0.20s");
    for (let i = 0; i < 2999; i++) stats.count("Hex.Audit", i !== 0);
    expect(summary(stats, 1.5, PLAIN)).toBe("3,000 events → 2,999 records, 1 error in 1.50s (2,000 events/s)\n  Hex.Audit      2999 records  1 error");
  });
});
