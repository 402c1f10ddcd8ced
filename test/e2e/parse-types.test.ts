/**
 * Schema semantics end to end: what only the command shows. Coercion, required, timestamps,
 * indicators and validate are tested in process in test/engine/parse-types.test.ts.
 */
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, testdata } from "../helpers/cli.js";

describe("parser: native", () => {
  it("reads a schema naming a native parser hexlog does not emulate as JSON, keys in any case, with a warning", async () => {
    const r = await hexlog(["parse", "--schemas", testdata("schemas", "native.yml"), "-t", "Custom.Native", ...FIXED], {
      input: '{"EventTime":"2024-05-01T10:00:00Z","sourceIPAddress":"192.0.2.1","extra":1}\n',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("parser.native (AWS.GuardDuty) names a parser built into Panther that hexlog does not emulate");
    expect(records(r.stdout)[0]).toMatchObject({ eventTime: "2024-05-01T10:00:00Z", p_event_time: "2024-05-01T10:00:00Z", p_any_ip_addresses: ["192.0.2.1"] });
  });
});
