import { describe, expect, it } from "vitest";
import { actorId, serialNumber, traceId, username } from "../../src/engine/indicators/identifiers.js";
import { scan } from "./recorder.js";

describe.each([
  { scanner: traceId, field: "p_any_trace_ids" },
  { scanner: username, field: "p_any_usernames" },
  { scanner: actorId, field: "p_any_actor_ids" },
  { scanner: serialNumber, field: "p_any_serial_numbers" },
])("$scanner.name", ({ scanner, field }) => {
  it.each([
    ["alice", "alice"],
    ["  Root Admin \t", "Root Admin"],
    ["1-5f2b6c9e-0123456789abcdef", "1-5f2b6c9e-0123456789abcdef"],
    ["ünïcödé", "ünïcödé"],
  ])("accepts any non-empty value %j, trimmed", (input, stored) => {
    expect(scan(scanner, input)).toEqual([[field, stored]]);
  });

  it.each(["", " ", "\n\t "])("adds nothing for the blank value %j", (input) => {
    expect(scan(scanner, input)).toEqual([]);
  });
});
