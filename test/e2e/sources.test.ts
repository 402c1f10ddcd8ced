/** Log sources end to end: every accepted sources file form, parse --source, hexlog sources, errors. */
import { describe, expect, it } from "vitest";
import { FIXED, hexlog, records, testdata } from "../helpers/cli.js";
import { hexlogOnTty } from "../helpers/tty.js";

const LIST = testdata("sources", "list-sources.json");
const GET = testdata("sources", "get-source.json");
const NODES = testdata("sources", "nodes.json");
const HAND = testdata("sources", "sources.yml");
const INTERLEAVED = testdata("sources", "hex-and-auth0.ndjson");
const HEX = testdata("hex", "audit.ndjson");
const AUTH0 = testdata("auth0", "events.ndjson");

const HEX_ID = "bcd45662-bab7-4f99-b69f-083a0212568d";
const WEBHOOKS_ID = "e7b9d1a3-4c6f-4b2e-a8d0-5f3c9e1b7a26";
const OKTA_ID = "0d9c8b7a-6e5f-4d3c-b2a1-f0e9d8c7b6a5";

function sourceFields(recs: Array<Record<string, unknown>>): Array<[unknown, unknown, unknown]> {
  return recs.map((r) => [r.p_log_type, r.p_source_id, r.p_source_label]);
}

describe("parse --source", () => {
  it("classifies interleaved events among the two log types of a source and stamps it on each record", async () => {
    const r = await hexlog(["parse", "--sources", LIST, "--source", "Webhooks", INTERLEAVED, ...FIXED]);
    expect(r.code).toBe(0);
    const order = "HAAHHAHAHAAH".split("").map((c) => (c === "H" ? "Hex.Audit" : "Auth0.Events"));
    expect(sourceFields(records(r.stdout))).toEqual(order.map((t) => [t, WEBHOOKS_ID, "Webhooks"]));
  });

  it("gives the same records as parsing each log type alone", async () => {
    const both = records((await hexlog(["parse", "--sources", LIST, "--source", "Webhooks", INTERLEAVED, ...FIXED])).stdout);
    const alone = records((await hexlog(["parse", "-t", "Hex.Audit,Auth0.Events", INTERLEAVED, ...FIXED])).stdout);
    const strip = (rec: Record<string, unknown>): Record<string, unknown> => {
      const { p_source_id: _id, p_source_label: _label, ...rest } = rec;
      return rest;
    };
    expect(both.map(strip)).toEqual(alone);
  });

  it("rejects events of log types the source does not carry, even when a loaded schema would parse them", async () => {
    const r = await hexlog(["parse", "--sources", LIST, "--source", "Webhooks", testdata("mixed", "all-types.ndjson"), ...FIXED]);
    expect(r.code).toBe(1);
    const recs = records(r.stdout);
    expect(recs).toHaveLength(12);
    expect(new Set(recs.map((x) => x.p_log_type))).toEqual(new Set(["Hex.Audit", "Auth0.Events"]));
    for (const line of [3, 6, 9, 12, 15]) {
      expect(r.stderr).toContain(`all-types.ndjson:${line}: Hex.Audit: event: required field is missing (matches none of 2 log types`);
    }
  });

  it("reads the ListSources response and finds a source by its id", async () => {
    const r = await hexlog(["parse", "--sources", LIST, "--source", HEX_ID, HEX, ...FIXED]);
    expect(r.code).toBe(0);
    expect(sourceFields(records(r.stdout))).toEqual(new Array(18).fill(["Hex.Audit", HEX_ID, "Hex audit logs"]));
  });

  it("reads the GetSource response", async () => {
    const r = await hexlog(["parse", "--sources", GET, "--source", "Hex audit logs", HEX, ...FIXED]);
    expect(r.code).toBe(0);
    expect(sourceFields(records(r.stdout))).toEqual(new Array(18).fill(["Hex.Audit", HEX_ID, "Hex audit logs"]));
  });

  it("reads a bare list of source nodes", async () => {
    const r = await hexlog(["parse", "--sources", NODES, "--source", "Panther audit", testdata("panther", "audit.ndjson"), ...FIXED]);
    expect(r.code).toBe(0);
    expect(sourceFields(records(r.stdout))).toEqual(new Array(14).fill(["Panther.Audit", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "Panther audit"]));
  });

  it("reads a hand-written YAML list and classifies in the source's own order", async () => {
    const r = await hexlog(["parse", "--sources", HAND, "--source", "Webhooks (dev)", INTERLEAVED, ...FIXED]);
    expect(r.code).toBe(0);
    const recs = records(r.stdout);
    expect(recs).toHaveLength(12);
    expect(recs.every((x) => x.p_source_id === "webhooks-dev" && x.p_source_label === "Webhooks (dev)")).toBe(true);
    expect(recs.filter((x) => x.p_log_type === "Hex.Audit")).toHaveLength(6);
  });

  it("takes the sources file from HEXLOG_SOURCES", async () => {
    const r = await hexlog(["parse", "--source", "hex-prod", HEX, ...FIXED], { env: { HEXLOG_SOURCES: HAND } });
    expect(r.code).toBe(0);
    expect(sourceFields(records(r.stdout))[0]).toEqual(["Hex.Audit", "hex-prod", "Hex (prod)"]);
  });

  it("lets --source-id and --source-label win over the source's own", async () => {
    const r = await hexlog(["parse", "--sources", LIST, "--source", "Hex audit logs", "--source-label", "replay", HEX, ...FIXED]);
    expect(r.code).toBe(0);
    expect(sourceFields(records(r.stdout))[0]).toEqual(["Hex.Audit", HEX_ID, "replay"]);
    const both = await hexlog(["parse", "--sources", LIST, "--source", "Hex audit logs", "--source-id", "x1", "--source-label", "replay", HEX, ...FIXED]);
    expect(sourceFields(records(both.stdout))[0]).toEqual(["Hex.Audit", "x1", "replay"]);
  });

  it("narrows a source's log types with --type", async () => {
    const r = await hexlog(["parse", "--sources", LIST, "--source", "Webhooks", "--type", "Auth0.Events", INTERLEAVED, ...FIXED]);
    expect(r.code).toBe(1);
    expect(records(r.stdout)).toHaveLength(6);
    expect(r.stderr).toContain("hex-and-auth0.ndjson:1: Auth0.Events: log_id: required field is missing");
  });

  it("runs a source whose log type comes from --schemas", async () => {
    const r = await hexlog([
      "parse",
      "--schemas",
      testdata("sources", "schemas"),
      "--sources",
      LIST,
      "--source",
      "Okta via S3",
      testdata("sources", "okta-and-panther.ndjson"),
      ...FIXED,
    ]);
    expect(r.code).toBe(0);
    expect(sourceFields(records(r.stdout)).map((x) => x[0])).toEqual(["Okta.SystemLog", "Panther.Audit", "Panther.Audit", "Okta.SystemLog", "Panther.Audit", "Okta.SystemLog"]);
  });
});

describe("parse --source errors (exit 2, listing what is available)", () => {
  it("rejects an unknown source and lists the sources, with a did-you-mean", async () => {
    const r = await hexlog(["parse", "--sources", LIST, "--source", "webhook", HEX]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('hexlog: unknown source "webhook" (did you mean "Webhooks"?)');
    expect(r.stderr).toMatch(/^ +Hex audit logs +bcd45662-bab7-4f99-b69f-083a0212568d +Hex\.Audit$/m);
    expect(r.stderr).toMatch(/^ +Okta via S3 +0d9c8b7a-6e5f-4d3c-b2a1-f0e9d8c7b6a5 +Okta\.SystemLog, Panther\.Audit$/m);
  });

  it("rejects a label two sources share and lists both ids", async () => {
    const r = await hexlog(["parse", "--sources", NODES, "--source", "Auth0", AUTH0]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hexlog: source label "Auth0" is ambiguous: 2 sources have it; give the id instead');
    expect(r.stderr).toContain("3b5d7f91-2a4c-4e6a-8c0e-1f3a5c7e9b2d");
    expect(r.stderr).toContain("9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4");
    const byId = await hexlog(["parse", "--sources", NODES, "--source", "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4", AUTH0, ...FIXED]);
    expect(byId.code).toBe(0);
    expect(records(byId.stdout)).toHaveLength(13);
  });

  it("rejects a source whose log types no loaded schema defines", async () => {
    const r = await hexlog(["parse", "--sources", LIST, "--source", "Okta via S3", testdata("panther", "audit.ndjson")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`hexlog: source "Okta via S3" (${OKTA_ID}) carries log type Okta.SystemLog, which no loaded schema defines`);
    expect(r.stderr).toContain("loaded: Hex.Audit, Auth0.Events, Panther.Audit");
    expect(r.stderr).toContain("--schemas");
  });

  it("rejects --type naming a log type the source does not carry", async () => {
    const r = await hexlog(["parse", "--sources", LIST, "--source", "Webhooks", "--type", "Panther.Audit", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`hexlog: source "Webhooks" (${WEBHOOKS_ID}) does not carry log type Panther.Audit`);
    expect(r.stderr).toContain("it carries: Hex.Audit, Auth0.Events");
  });

  it("asks for a sources file when --source comes without one", async () => {
    const r = await hexlog(["parse", "--source", "Webhooks", HEX], { env: { HEXLOG_SOURCES: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("hexlog: no sources file: give --sources FILE or set HEXLOG_SOURCES");
  });

  it("reports a missing sources file in one line", async () => {
    const r = await hexlog(["parse", "--sources", "nope.json", "--source", "Webhooks", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("hexlog: cannot read nope.json: no such file or directory");
  });

  it("reports every problem of a hand-written file at its line and column", async () => {
    const file = testdata("sources", "bad", "entries.yml");
    const r = await hexlog(["parse", "--sources", file, "--source", "hex-prod", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter((l) => l !== "")).toEqual([
      `hexlog: ${file} is not a usable sources file:`,
      `  ${file}:6:3: unknown key "logtypes" (did you mean "logTypes"?)`,
      `  ${file}:4:3: logTypes is missing`,
      `  ${file}:7:3: id is missing`,
      `  ${file}:11:29: expected a log type name`,
      `  ${file}:12:3: source id "hex-prod" appears twice (labels "Hex (prod)" and "Hex again")`,
    ]);
  });

  it("passes on the API's error message when the file is an error response", async () => {
    const file = testdata("sources", "bad", "error-response.json");
    const r = await hexlog(["parse", "--sources", file, "--source", "Webhooks", HEX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:13: the file holds an error response from Panther's API: access denied: the API token lacks the View Log Sources permission`);
  });

  it("says which forms it accepts when the file is none of them", async () => {
    const file = testdata("sources", "bad", "not-sources.json");
    const r = await hexlog(["sources", "--sources", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:1:1: not a sources file: expected the response of Panther's ListSources or GetSource query`);
  });

  it("reports a YAML syntax error with its position", async () => {
    const file = testdata("sources", "bad", "broken.yml");
    const r = await hexlog(["sources", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^  ${file.replace(/\./g, "\\.")}:3:3: `, "m"));
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});

describe("hexlog sources", () => {
  it("prints one NDJSON line per source when stdout is not a terminal, and warns about undefined log types", async () => {
    const r = await hexlog(["sources", "--sources", LIST]);
    expect(r.code).toBe(0);
    const lines = records(r.stdout);
    expect(lines.map((l) => l.label)).toEqual(["Hex audit logs", "Auth0 tenant", "Webhooks", "Okta via S3"]);
    expect(lines[2]).toEqual({
      label: "Webhooks",
      id: WEBHOOKS_ID,
      type: "http",
      logTypes: ["Hex.Audit", "Auth0.Events"],
      healthy: true,
      lastEventReceivedAt: "2024-05-14T12:00:04.998Z",
    });
    expect(lines[3]).toMatchObject({ healthy: false, lastEventReceivedAt: null });
    expect(r.stderr.trim()).toBe(`warning: source "Okta via S3" (${OKTA_ID}): no loaded schema defines Okta.SystemLog (add it with --schemas)`);
  });

  it("does not warn once --schemas defines the missing log type", async () => {
    const r = await hexlog(["sources", LIST, "--schemas", testdata("sources", "schemas")]);
    expect(r.code).toBe(0);
    expect(records(r.stdout)).toHaveLength(4);
    expect(r.stderr).toBe("");
  });

  it("lists a hand-written file, with null for what it does not say", async () => {
    const r = await hexlog(["sources"], { env: { HEXLOG_SOURCES: HAND } });
    expect(r.code).toBe(0);
    expect(records(r.stdout)).toEqual([
      { label: "Hex (prod)", id: "hex-prod", type: null, logTypes: ["Hex.Audit"], healthy: null, lastEventReceivedAt: null },
      { label: "Webhooks (dev)", id: "webhooks-dev", type: "http", logTypes: ["Auth0.Events", "Hex.Audit"], healthy: null, lastEventReceivedAt: null },
    ]);
  });

  it("shows a table on a terminal", async () => {
    const r = await hexlogOnTty(["sources", GET], { NO_COLOR: "1" });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => l !== "");
    expect(lines[0]).toMatch(/^LABEL +ID +TYPE +LOG TYPES +HEALTH +LAST EVENT RECEIVED$/);
    expect(lines[1]).toMatch(new RegExp(`^Hex audit logs +${HEX_ID} +http +Hex\\.Audit +healthy +2024-05-14T12:00:03\\.771Z$`));
    expect(lines).toHaveLength(2);
  });

  it("colours health on a terminal unless NO_COLOR is set", async () => {
    const r = await hexlogOnTty(["sources", LIST]);
    expect(r.stdout).toContain("\u001b[31munhealthy");
    expect(r.stdout).toContain("\u001b[32mhealthy");
  });

  it("exits 2 without a sources file", async () => {
    const r = await hexlog(["sources"], { env: { HEXLOG_SOURCES: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("hexlog: no sources file: give --sources FILE or set HEXLOG_SOURCES");
  });

  it("has help with examples", async () => {
    const r = await hexlog(["sources", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("HEXLOG_SOURCES");
  });
});
