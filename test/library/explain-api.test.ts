/** `hexlog explain` as a library call (src/index.ts). */
import { describe, expect, it } from "vitest";
import { compileLogType, explainText, explainTraceJson, explainTraceText, fixedClock, type Clock, type LogType } from "../../src/index.js";

const SCHEMA = `schema: Custom.App
fields:
  - name: ts
    type: timestamp
    timeFormats: [unix, rfc3339]
    isEventTime: true
  - name: user
    type: string
    indicators: [email]
`;

async function app(): Promise<LogType> {
  const { logType, problems } = await compileLogType(SCHEMA);
  expect(problems).toEqual([]);
  return logType as LogType;
}

describe("explainText", () => {
  it("traces every event of a text with the engine's outcome", async () => {
    const traces = explainText([await app()], '{"ts":"2026-01-01T00:00:00Z","user":"a@example.com","x":1}\n{"ts":"soon"}\n', { clock: fixedClock("2026-02-02T00:00:00Z") as Clock });
    expect(traces.map((t) => [t.framing.line, t.winner, t.outcome.kind])).toEqual([
      [1, "Custom.App", "record"],
      [2, null, "error"],
    ]);
    const ts = traces[0]?.candidates[0]?.fields.find((f) => f.path === "ts");
    expect(ts?.timeFormats).toEqual([
      { format: "unix", result: "no match", message: expect.stringContaining("unix") },
      { format: "rfc3339", result: "matched" },
    ]);
    expect(traces[0]?.candidates[0]?.dropped).toEqual(["x"]);
    expect(traces[1]?.candidates[0]?.error).toEqual({ path: "ts", message: '"soon" matches none of the time formats unix, rfc3339' });
  });

  it("renders a trace as plain text or one line of JSON", async () => {
    const [t] = explainText([await app()], '{"user":"a@example.com"}');
    expect(explainTraceText(t!)).toContain("indicator email → p_any_emails \"a@example.com\"");
    expect(explainTraceText(t!)).toContain("p_event_time: ");
    expect(JSON.parse(explainTraceJson(t!))).toMatchObject({ winner: "Custom.App", candidates: [{ eventTime: { fallback: "no value in the isEventTime field ts, so p_event_time is p_parse_time" } }] });
  });
});
