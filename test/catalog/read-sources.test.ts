/** What a sources file says, in each accepted form, and the problems it can have. */
import { describe, expect, it } from "vitest";
import { readSources } from "../../src/catalog/sources.js";

const node = { integrationId: "id-1", integrationLabel: "Hex", integrationType: "http", isHealthy: true, lastEventReceivedAtTime: "2024-05-14T12:00:03Z", logTypes: ["Hex.Audit"] };
const hex = { id: "id-1", label: "Hex", type: "http", logTypes: ["Hex.Audit"], healthy: true, lastEventReceivedAt: "2024-05-14T12:00:03Z" };

describe("readSources", () => {
  it("reads the nodes of a ListSources response, with or without the data envelope", () => {
    const list = { sources: { edges: [{ node }], pageInfo: { hasNextPage: false } } };
    expect(readSources({ data: list })).toEqual({ sources: [hex], issues: [] });
    expect(readSources(list)).toEqual({ sources: [hex], issues: [] });
  });

  it("reads a GetSource response and a bare list of nodes", () => {
    expect(readSources({ data: { source: node } }).sources).toEqual([hex]);
    expect(readSources([node, { ...node, integrationId: "id-2" }]).sources.map((s) => s.id)).toEqual(["id-1", "id-2"]);
  });

  it("ignores the API fields hexlog does not use and reads null log types as none", () => {
    const r = readSources([{ ...node, createdBy: { id: "u" }, isEditable: true, logTypes: null, isHealthy: null }]);
    expect(r.issues).toEqual([]);
    expect(r.sources[0]).toMatchObject({ logTypes: [], healthy: null });
  });

  it("reads hand-written entries, which must list their log types", () => {
    expect(readSources([{ id: "a", label: "A", logTypes: ["X.Y"] }]).sources).toEqual([
      { id: "a", label: "A", type: null, logTypes: ["X.Y"], healthy: null, lastEventReceivedAt: null },
    ]);
    expect(readSources([{ id: "a", label: "A" }]).issues).toEqual([{ path: [0], message: "logTypes is missing" }]);
  });

  it("names unknown keys of hand-written entries with a did-you-mean", () => {
    expect(readSources([{ id: "a", lable: "A", logTypes: [] }]).issues).toContainEqual({ path: [0, "lable"], message: 'unknown key "lable" (did you mean "label"?)', atKey: true });
  });

  it("reports wrong types at their path", () => {
    const r = readSources({ data: { sources: { edges: [{ node: { ...node, integrationLabel: 7, isHealthy: "yes", logTypes: ["Hex.Audit", "Hex.Audit", ""] } }] } } });
    expect(r.sources).toEqual([]);
    expect(r.issues).toEqual([
      { path: ["data", "sources", "edges", 0, "node", "integrationLabel"], message: "integrationLabel must be a non-empty string" },
      { path: ["data", "sources", "edges", 0, "node", "logTypes", 1], message: "log type Hex.Audit is listed twice" },
      { path: ["data", "sources", "edges", 0, "node", "logTypes", 2], message: "expected a log type name" },
      { path: ["data", "sources", "edges", 0, "node", "isHealthy"], message: "isHealthy must be true or false" },
    ]);
  });

  it("reports a GraphQL error response, a missing source and duplicate ids", () => {
    expect(readSources({ errors: [{ message: "denied" }], data: null }).issues).toEqual([{ path: ["errors"], message: "the file holds an error response from Panther's API: denied" }]);
    expect(readSources({ data: { source: null } }).issues[0]?.message).toBe("the GetSource response has no source (was the id right?)");
    expect(readSources([node, { ...node, integrationLabel: "Again" }]).issues).toEqual([{ path: [1], message: 'source id "id-1" appears twice (labels "Hex" and "Again")' }]);
  });

  it("says which forms it accepts for anything else", () => {
    for (const v of [null, "text", 42, { data: { something: [] } }]) {
      expect(readSources(v).issues[0]?.message).toMatch(/^not a sources file: expected the response of Panther's ListSources or GetSource query/);
    }
  });
});
