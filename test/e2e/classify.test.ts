/** parse without -t: an event no type accepts is blamed on the closest type, with every candidate's reason. */
import { describe, expect, it } from "vitest";
import { hexlog, testdata } from "../helpers/cli.js";

const EVENT = '{"ts":"2024-06-01T12:00:01","action":"login"}\n';
const SCHEMAS = testdata("classify");

describe("classifying among all loaded types", () => {
  it("blames the user's schema that declares the event's fields, naming the real cause (the time format)", async () => {
    const r = await hexlog(["parse", "-s", SCHEMAS], { input: EVENT });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "<stdin>:1: Custom.MyApp: ts: \"2024-06-01T12:00:01\" does not match %Y-%m-%d %H:%M:%S: expected ' ' at position 10 (matches none of 4 log types; Custom.MyApp came closest)\n",
    );
  });
});
