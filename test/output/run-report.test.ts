import { describe, expect, it } from "vitest";
import { byteCount, ErrorLimit, progressText, statsJson } from "../../src/output/run-report.js";

describe("ErrorLimit", () => {
  it("lets the first N lines through and counts the rest", () => {
    const limit = new ErrorLimit(2);
    expect([limit.take(), limit.take(), limit.take(), limit.take()]).toEqual([true, true, false, false]);
    expect(limit.note("dead.ndjson")).toBe("2 more errors not shown (--max-errors 2); every failed event is in dead.ndjson");
    expect(limit.note(undefined)).toBe("2 more errors not shown (--max-errors 2); --errors FILE keeps every failed event");
  });

  it("has nothing to say without a cap or under it", () => {
    const none = new ErrorLimit(undefined);
    for (let i = 0; i < 1000; i++) expect(none.take()).toBe(true);
    expect(none.note(undefined)).toBeUndefined();
  });
});

describe("progress", () => {
  it("shows bytes, percent and time left for regular files", () => {
    expect(progressText({ events: 60012, errors: 3, bytesRead: 12.5 * 1048576, totalBytes: 50 * 1048576, seconds: 10 })).toBe(
      "12.5 MiB of 50.0 MiB (25%), 0:30 left — 60,012 events, 3 errors",
    );
  });

  it("gives no estimate in the first second", () => {
    expect(progressText({ events: 1, errors: 0, bytesRead: 2048, totalBytes: 4096, seconds: 0.2 })).toBe("2.0 KiB of 4.0 KiB (50%) — 1 event, 0 errors");
  });

  it("shows bytes and counts only for a stream of unknown size", () => {
    expect(progressText({ events: 5, errors: 1, bytesRead: 900, totalBytes: undefined, seconds: 3 })).toBe("900 B — 5 events, 1 error");
  });

  it("writes sizes with binary units", () => {
    expect([byteCount(0), byteCount(1023), byteCount(1024), byteCount(10 * 1048576), byteCount(3 * 1024 ** 3)]).toEqual(["0 B", "1023 B", "1.0 KiB", "10.0 MiB", "3.0 GiB"]);
  });
});

describe("--stats json", () => {
  it("is one document with the counts per log type", () => {
    const doc = JSON.parse(
      statsJson({ events: 3, records: 2, errors: 1, skipped: 0, perType: new Map([["Hex.Audit", { records: 2, errors: 1 }]]) }, 1.23456, { interrupted: false, errorsNotShown: 0 }),
    );
    expect(doc).toEqual({ events: 3, records: 2, errors: 1, skipped: 0, seconds: 1.235, interrupted: false, errorsNotShown: 0, perType: { "Hex.Audit": { records: 2, errors: 1 } } });
  });
});
