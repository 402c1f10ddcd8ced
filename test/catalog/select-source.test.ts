/** Which source `--source` picks, and which log types its events are classified among. */
import { describe, expect, it } from "vitest";
import { pickSource, SourceProblem, sourceLogTypes, undefinedLogTypes } from "../../src/catalog/select-source.js";
import type { LogSource } from "../../src/catalog/sources.js";

function source(id: string, label: string, logTypes: string[]): LogSource {
  return { id, label, type: null, logTypes, healthy: null, lastEventReceivedAt: null };
}

const hex = source("s-1", "Hex", ["Hex.Audit"]);
const hooks = source("s-2", "Webhooks", ["Hex.Audit", "Auth0.Events"]);
const twin = source("s-3", "Webhooks", ["Auth0.Events"]);
const labelledLikeId = source("s-4", "s-1", []);

describe("pickSource", () => {
  it("finds a source by id first, then by label", () => {
    expect(pickSource([hex, hooks, labelledLikeId], "s-1")).toBe(hex);
    expect(pickSource([hex, hooks], "Webhooks")).toBe(hooks);
  });

  it("refuses a label several sources share and lists them", () => {
    const p = pickSource([hex, hooks, twin], "Webhooks");
    expect(p).toBeInstanceOf(SourceProblem);
    expect((p as SourceProblem).message).toBe('source label "Webhooks" is ambiguous: 2 sources have it; give the id instead');
    expect((p as SourceProblem).details).toEqual(["  Webhooks  s-2  Hex.Audit, Auth0.Events", "  Webhooks  s-3  Auth0.Events"]);
  });

  it("suggests the closest label for an unknown source", () => {
    const p = pickSource([hex, hooks], "webhook") as SourceProblem;
    expect(p.message).toBe('unknown source "webhook" (did you mean "Webhooks"?)');
    expect(p.details[0]).toBe("available (label, id, log types):");
    expect((pickSource([], "x") as SourceProblem).message).toBe('unknown source "x": the sources file lists no sources');
  });
});

describe("sourceLogTypes", () => {
  const loaded = ["Hex.Audit", "Auth0.Events", "Panther.Audit"];

  it("gives the source's log types in its order, or the --type subset", () => {
    expect(sourceLogTypes(hooks, loaded, [])).toEqual(["Hex.Audit", "Auth0.Events"]);
    expect(sourceLogTypes(hooks, loaded, ["Auth0.Events"])).toEqual(["Auth0.Events"]);
  });

  it("refuses log types the source does not carry, sources without log types, and undefined log types", () => {
    expect((sourceLogTypes(hooks, loaded, ["Panther.Audit"]) as SourceProblem).message).toBe('source "Webhooks" (s-2) does not carry log type Panther.Audit');
    expect((sourceLogTypes(labelledLikeId, loaded, []) as SourceProblem).message).toBe('source "s-1" (s-4) carries no log types');
    const okta = source("s-5", "Okta", ["Okta.SystemLog", "Hex.Audit", "Gcp.Audit"]);
    expect((sourceLogTypes(okta, loaded, []) as SourceProblem).message).toBe('source "Okta" (s-5) carries log types Okta.SystemLog, Gcp.Audit, which no loaded schema defines');
    expect(sourceLogTypes(okta, loaded, ["Hex.Audit"])).toEqual(["Hex.Audit"]);
    expect(undefinedLogTypes(okta, loaded)).toEqual(["Okta.SystemLog", "Gcp.Audit"]);
  });
});
