/** What field names tell schema inference: words, time names, event-time ranks, collisions. */
import { describe, expect, it } from "vitest";
import { columnKey, eventTimeRank, isTimeName, nameHints, nameWords, unusableName } from "../../src/tools/infer/names.js";

describe("nameWords", () => {
  it("splits camelCase, acronyms, digits and separators into lower-case words", () => {
    expect(nameWords("hexTraceId")).toEqual(["hex", "trace", "id"]);
    expect(nameWords("XForwardedFor")).toEqual(["x", "forwarded", "for"]);
    expect(nameWords("sourceIP")).toEqual(["source", "ip"]);
    expect(nameWords("@timestamp")).toEqual(["timestamp"]);
    expect(nameWords("user-agent.v2")).toEqual(["user", "agent", "v2"]);
    expect(nameWords("sha256Hash")).toEqual(["sha256", "hash"]);
  });
});

describe("time names", () => {
  it("recognizes names of points in time, and not durations or counts", () => {
    for (const n of ["ts", "createdAt", "updated_on", "event_time", "iat", "loginTime", "date"]) expect(isTimeName(nameWords(n))).toBe(true);
    for (const n of ["elapsed", "durationMs", "count", "timeout", "at", "on"]) expect(isTimeName(nameWords(n))).toBe(false);
  });

  it("ranks occurred/event names first, plain names next, starts, others, late stages, and never expiries", () => {
    const rank = (n: string): number | undefined => eventTimeRank(nameWords(n));
    expect(rank("occurred_at")).toBe(0);
    expect(rank("eventTime")).toBe(0);
    expect(rank("timestamp")).toBe(1);
    expect(rank("@timestamp")).toBe(1);
    expect(rank("created_at")).toBe(2);
    expect(rank("lake_time")).toBe(3);
    expect(rank("received_at")).toBe(4);
    expect(rank("expires_at")).toBeUndefined();
    expect(rank("valid_until")).toBeUndefined();
  });
});

describe("identifier hints", () => {
  it("reads actor ids and user names from the name or from the enclosing object", () => {
    expect(nameHints("id", "actor").actorId).toBe(true);
    expect(nameHints("id", "workspace").actorId).toBe(false);
    expect(nameHints("principalId", undefined).actorId).toBe(true);
    expect(nameHints("name", "user").username).toBe(true);
    expect(nameHints("user_name", undefined).username).toBe(true);
    expect(nameHints("name", "project").username).toBe(false);
  });

  it("takes trace, request and span ids as trace ids, and keeps them from being read as digests", () => {
    for (const n of ["traceId", "x_request_id", "span_id", "correlationId"]) {
      const h = nameHints(n, undefined);
      expect(h.traceId).toBe(true);
      expect(h.notHash).toBe(true);
    }
    expect(nameHints("requestPath", undefined).traceId).toBe(false);
  });
});

describe("names that cannot be fields", () => {
  it("folds case, accents and punctuation into one column key", () => {
    expect(columnKey("UserAgent")).toBe(columnKey("useragent"));
    expect(columnKey("user-agent")).toBe(columnKey("user_agent"));
    expect(columnKey("café")).toBe(columnKey("cafe"));
    expect(columnKey("a_b")).not.toBe(columnKey("ab"));
  });

  it("rejects the empty key, commas, and reserved p_ names at the top level only", () => {
    expect(unusableName("", false)).toMatch(/empty/);
    expect(unusableName("a,b", false)).toMatch(/comma/);
    expect(unusableName("p_event_time", true)).toMatch(/reserves/);
    expect(unusableName("p_event_time", false)).toBeUndefined();
    expect(unusableName("p_custom", true)).toBeUndefined();
  });
});
