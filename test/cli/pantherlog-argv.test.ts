/** pantherlog's command-line forms, read before commander sees the arguments. */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/errors.js";
import { onlyCommand } from "../../src/cli/main.js";
import { mapGoStyleFlags, schemaNamesAsTypes, splitSchemaArgs } from "../../src/cli/pantherlog.js";

const parseOptions = new Map([
  ["type", true], ["schemas", true], ["path", true], ["source-id", true], ["source-label", true], ["debug", false], ["pretty", false],
]);
const COMMANDS = new Map([
  ["parse", parseOptions],
  ["infer", new Map([["name", true], ["description", true]])],
  ["test", new Map([["format", true], ["update", false]])],
]);
const GLOBAL = new Map([["quiet", false], ["no-color", false]]);
const map = (...args: string[]) => mapGoStyleFlags(args, COMMANDS, GLOBAL);

describe("Go-style single-dash long flags", () => {
  it("become hexlog's long flags, with a separate or an attached value", () => {
    expect(map("parse", "-path", "s.yml", "-schemas", "Custom.X", "-source-id=abc", "-source-label", "prod", "-debug", "in.jsonl")).toEqual([
      "parse", "--path", "s.yml", "--schemas", "Custom.X", "--source-id=abc", "--source-label", "prod", "--debug", "in.jsonl",
    ]);
  });

  it("include global flags", () => {
    expect(map("parse", "-quiet", "-t", "Hex.Audit")).toEqual(["parse", "--quiet", "-t", "Hex.Audit"]);
  });

  it("leave short flags, attached short values, option values and words after -- alone", () => {
    expect(map("parse", "-t", "Hex.Audit", "-tAuth0.Events", "--source-label", "-debug", "--", "-path")).toEqual([
      "parse", "-t", "Hex.Audit", "-tAuth0.Events", "--source-label", "-debug", "--", "-path",
    ]);
  });

  it("make pantherlog without a subcommand (-debug, -source-id, -source-label) a parse", () => {
    expect(map("-debug", "-source-id", "s1")).toEqual(["parse", "--debug", "--source-id", "s1"]);
  });

  it("refuse a long name the command does not take, instead of reading it as a short-flag cluster", () => {
    expect(() => map("infer", "-debug", "x.jsonl")).toThrow(UsageError);
    expect(() => map("infer", "-debug", "x.jsonl")).toThrow("unknown option '-debug' for infer (read as --debug, which infer does not take)");
    expect(() => map("test", "-schemas", "x")).toThrow(UsageError);
  });
});

describe("--schemas in pantherlog's meaning", () => {
  it("keeps existing paths as schema paths and takes words that are log type names as names", () => {
    expect(splitSchemaArgs(["testdata/dropin/schemas", "Custom.Door.Access,Custom.Mail.DLP", "no/such.yml"])).toEqual({
      paths: ["testdata/dropin/schemas", "no/such.yml"],
      names: ["Custom.Door.Access", "Custom.Mail.DLP"],
    });
  });

  it("turns loaded names into types with a one-line note, and keeps the unknown ones apart", () => {
    const r = schemaNamesAsTypes(["Custom.A", "Custom.B"], (n) => n === "Custom.A");
    expect(r).toEqual({ types: ["Custom.A"], unknown: ["Custom.B"], note: "note: --schemas Custom.A: no such path, but a log type name (pantherlog's meaning); taken as -t Custom.A" });
  });
});

describe("which commands a run builds", () => {
  const argv = (...args: string[]) => ["node", "hexlog", ...args];

  it("is parse alone for a plain parse, global flags before it included", () => {
    expect(onlyCommand(argv("parse", "-t", "Hex.Audit", "--workers", "2", "in.ndjson"))).toBe("parse");
    expect(onlyCommand(argv("-q", "--no-color", "parse", "--help"))).toBe("parse");
  });

  it("is every command for other commands, help, unknown words and no command", () => {
    for (const args of [["test", "schemas/"], ["help", "parse"], ["completion", "bash"], ["prase"], [], ["--help"], ["-q"]]) {
      expect(onlyCommand(argv(...args)), args.join(" ")).toBeUndefined();
    }
  });

  it("is every command when a Go-style flag must be checked against all commands' options", () => {
    expect(onlyCommand(argv("parse", "-path", "s.yml"))).toBeUndefined();
    expect(onlyCommand(argv("parse", "-host", "0.0.0.0"))).toBeUndefined();
    expect(onlyCommand(argv("-debug", "parse"))).toBeUndefined();
  });
});
