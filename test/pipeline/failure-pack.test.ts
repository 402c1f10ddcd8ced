/** Failures packed for the trip from a worker thread: they come back exactly as they went. */
import { describe, expect, it } from "vitest";
import { FailurePacker, FailureReader, packedBytes } from "../../src/pipeline/parallel/failure-pack.js";
import type { EventFailure } from "../../src/pipeline/events.js";

type Failure = Omit<EventFailure, "file">;

function unpacked(failures: Array<[Failure, number]>): Array<Failure & { at: number }> {
  const packer = new FailurePacker();
  for (const [f, at] of failures) packer.add(f, at);
  const reader = new FailureReader(packer.take());
  const out: Array<Failure & { at: number }> = [];
  for (let f = reader.next(); f; f = reader.next()) out.push(f);
  return out;
}

describe("FailurePacker", () => {
  it("gives back every failure's line, place, reason and raw text, in order", () => {
    const candidates = [
      { logType: "A", path: "x", message: "no" },
      { logType: "B", path: "", message: "not JSON" },
    ];
    const failures: Array<[Failure, number]> = [
      [{ line: 3, logType: "Hex.Audit", path: "event", message: "required field is missing", raw: "{}" }, 0],
      [{ line: 4, logType: null, path: "", message: "no log type matched", raw: "", candidates }, 2],
      [{ line: 2 ** 40, logType: "Hex.Audit", path: "event", message: "required field is missing", raw: "{ }", truncated: true }, 2],
      [{ line: 6, logType: "Hex.Audit", path: "event", message: "required field is missing", raw: "{}", truncated: false }, 7],
      [{ line: 5, logType: "Hex.Audit", path: "event", message: "required field is missing", raw: "{}" }, 300],
    ];
    expect(unpacked(failures)).toEqual(failures.map(([f, at]) => ({ ...f, at })));
  });

  it("keeps raw text byte for byte, lone surrogates and NUL included", () => {
    const raws = ["\ud83d", "a\u0000b", "\udc00\ud83d\ude00", "é".repeat(5000)];
    const back = unpacked(raws.map((raw, i) => [{ line: i + 1, logType: "T", path: "", message: "bad", raw }, 0]));
    expect(back.map((f) => f.raw)).toEqual(raws);
  });

  it("stores a reason shared by many failures once, so a batch of the same failure stays small", () => {
    const packer = new FailurePacker();
    for (let i = 0; i < 100_000; i++) packer.add({ line: i + 1, logType: "Hex.Audit", path: "event", message: "required field is missing", raw: "{}" }, 0);
    const p = packer.take();
    expect(p.reasons).toHaveLength(1);
    expect(p.count).toBe(100_000);
    // A few bytes a failure plus its raw text, against hundreds as objects.
    expect(packedBytes(p)).toBeLessThan(100_000 * 10);
    expect(packer.take().count).toBe(0);
  });

  it("tells reasons apart that differ only in their truncated flag or where the parts split", () => {
    const back = unpacked([
      [{ line: 1, logType: "T", path: "a", message: "b", raw: "x" }, 0],
      [{ line: 2, logType: "T", path: "a", message: "b", raw: "x", truncated: true }, 0],
      [{ line: 3, logType: "T", path: "a\u0000b", message: "", raw: "x" }, 0],
      [{ line: 4, logType: "T", path: "a", message: "\u0000b", raw: "x" }, 0],
      [{ line: 5, logType: null, path: "a", message: "b", raw: "x" }, 0],
      [{ line: 6, logType: "T", path: "a:ub", message: "", raw: "x" }, 0],
      [{ line: 7, logType: "T", path: "a", message: "b:u", raw: "x" }, 0],
    ]);
    expect(back.map((f) => [f.logType, f.path, f.message, f.truncated])).toEqual([
      ["T", "a", "b", undefined],
      ["T", "a", "b", true],
      ["T", "a\u0000b", "", undefined],
      ["T", "a", "\u0000b", undefined],
      [null, "a", "b", undefined],
      ["T", "a:ub", "", undefined],
      ["T", "a", "b:u", undefined],
    ]);
  });
});
