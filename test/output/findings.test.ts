/** Report formats of validate-schema. */
import { describe, expect, it } from "vitest";
import { githubLine, reportLines, summaryLine, textLine, type ValidationReport } from "../../src/output/findings.js";
import type { Palette } from "../../src/output/color.js";
import type { Finding } from "../../src/tools/validate.js";

const id = (s: string): string => s;
const PLAIN: Palette = { red: id, green: id, yellow: id, cyan: id, magenta: id, gray: id, dimCyan: id };

const finding: Finding = { file: "a,b:c.yml", line: 3, col: 7, severity: "error", rule: "invalid-time-format", message: "100% wrong\nsecond line", path: "fields[0].timeFormat" };

describe("GitHub workflow commands", () => {
  it("escapes %, CR and LF in the message, and also , and : in properties", () => {
    expect(githubLine(finding)).toBe("::error file=a%2Cb%3Ac.yml,line=3,col=7,title=invalid-time-format::100%25 wrong%0Asecond line");
  });

  it("leaves out the column when only the line is known, and writes warnings as warnings", () => {
    expect(githubLine({ ...finding, file: "s.ndjson", col: undefined, severity: "warning", message: "m" })).toBe("::warning file=s.ndjson,line=3,title=invalid-time-format::m");
  });
});

describe("text", () => {
  it("writes file:line:col, the severity, the message and the rule", () => {
    expect(textLine({ ...finding, file: "s.yml", message: "bad" }, PLAIN)).toBe("s.yml:3:7: error: bad [invalid-time-format]");
    expect(textLine({ ...finding, file: "s.ndjson", col: undefined, message: "bad" }, PLAIN)).toBe("s.ndjson:3: error: bad [invalid-time-format]");
  });

  it("adds the sample counts after the findings", () => {
    const report: ValidationReport = {
      version: 1,
      valid: false,
      summary: { schemas: 1, valid: 1, errors: 10, warnings: 0 },
      schemas: [{ file: "s.yml", name: "Custom.S", valid: true }],
      findings: [],
      samples: { files: ["x.ndjson"], events: 40, matched: 28, unmatched: 12, skipped: 0, perType: { "Custom.S": 28 }, listed: 10 },
    };
    expect(reportLines(report, "text", PLAIN)).toEqual(["samples: 40 events, 28 matched (Custom.S 28), 12 unmatched (first 10 listed)"]);
    const csv = { ...report, samples: { files: ["x.csv"], events: 5, matched: 4, unmatched: 0, skipped: 1, perType: { "Custom.Csv": 4 }, listed: 0 } };
    expect(reportLines(csv, "text", PLAIN)).toEqual(["samples: 5 events, 4 matched (Custom.Csv 4), 0 unmatched, 1 skipped"]);
    expect(reportLines(report, "github", PLAIN)).toEqual([]);
  });
});

describe("summary", () => {
  const base: ValidationReport = { version: 1, valid: true, summary: { schemas: 3, valid: 3, errors: 0, warnings: 0 }, schemas: [], findings: [] };

  it("says all is valid, counting warnings", () => {
    expect(summaryLine(base, 0.123, PLAIN)).toBe("✓ 3 schemas valid in 0.12s");
    expect(summaryLine({ ...base, summary: { ...base.summary, warnings: 1 } }, 0.1, PLAIN)).toBe("✓ 3 schemas valid (1 warning) in 0.10s");
  });

  it("counts errors and the files that have them", () => {
    const findings: Finding[] = [finding, { ...finding, line: 9 }, { ...finding, file: "other.yml" }, { ...finding, file: "w.yml", severity: "warning" }];
    const report = { ...base, valid: false, summary: { schemas: 3, valid: 1, errors: 3, warnings: 1 }, findings };
    expect(summaryLine(report, 1, PLAIN)).toBe("✗ 3 errors, 1 warning in 2 files (3 schemas checked, 1 valid) in 1.00s");
  });
});
