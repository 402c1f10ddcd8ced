/** `hexlog diff` and `validate-schema --against` end to end: exit codes, formats, git revisions. */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hexlog, ROOT, tempDir, testdata } from "../helpers/cli.js";

const OLD = testdata("diff", "old", "app.yml");
const NEW = testdata("diff", "new", "app.yml");

interface Finding {
  file: string;
  line: number;
  col: number;
  severity: string;
  rule: string;
  message: string;
}

describe("hexlog diff", () => {
  it("catches a rename, a deletion, a nested type change and an array element change, exiting 1", async () => {
    const r = await hexlog(["diff", OLD, NEW]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toContain(
      `${NEW}:8:11: error: field "user_name" renamed to "username" (was at ${OLD}:9:5): a new column; old rows keep the old one [breaking-change/field-renamed]`,
    );
    expect(lines).toContain(`${NEW}:4:1: error: field "session" was deleted (was at ${OLD}:12:5): its column disappears from new rows [breaking-change/field-deleted]`);
    expect(lines.some((l) => l.startsWith(`${NEW}:17:15: error: type of "actor.port" changed from bigint to string`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${NEW}:21:13: error: element type of "tags" changed from string to bigint`))).toBe(true);
    expect(lines.some((l) => l.includes('note: new field "region" (string)'))).toBe(true);
    expect(r.stderr).toContain("✗ 7 breaking changes, 4 notes (1 old, 1 new schema)");
  });

  it("exits 0 with notes only when nothing breaks", async () => {
    const r = await hexlog(["diff", NEW, NEW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("✓ no breaking change");
  });

  it("writes one JSON document and GitHub annotations", async () => {
    const json = await hexlog(["diff", OLD, NEW, "--format", "json"]);
    const report = JSON.parse(json.stdout) as { compatible: boolean; summary: { errors: number; notes: number }; findings: Finding[] };
    expect(report.compatible).toBe(false);
    expect(report.summary).toEqual({ old: 1, new: 1, errors: 7, notes: 4 });
    expect(report.findings.filter((f) => f.rule.startsWith("breaking-change/")).every((f) => f.severity === "error" && f.file === NEW)).toBe(true);
    const gh = await hexlog(["diff", OLD, NEW, "--format", "github"]);
    expect(gh.stdout).toContain(`::error file=${NEW},line=8,col=11,title=breaking-change/field-renamed::field "user_name" renamed`);
    expect(gh.stdout).toContain(`::notice file=${NEW},line=33,col=11,title=schema-change/field-added::new field "region"`);
  });

  it("compares directories by log type name and refuses a missing side with exit 2", async () => {
    const r = await hexlog(["diff", testdata("diff", "old"), testdata("diff", "new"), "--format", "json"]);
    expect(r.code).toBe(1);
    const missing = await hexlog(["diff", "testdata/diff/nope", NEW]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file or directory");
  });
});

describe("hexlog validate-schema --against", () => {
  it("reports breaking changes from an old directory next to the validation findings", async () => {
    const r = await hexlog(["validate-schema", NEW, "--against", testdata("diff", "old"), "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { valid: boolean; summary: { errors: number; notes: number }; findings: Finding[] };
    expect(report.valid).toBe(false);
    expect(report.summary.errors).toBe(7);
    expect(report.summary.notes).toBe(4);
  });

  it("reads the old version from a git revision without touching the working tree", async () => {
    const repo = tempDir();
    const git = (...args: string[]): string => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    mkdirSync(join(repo, "schemas"));
    copyFileSync(join(ROOT, OLD), join(repo, "schemas", "app.yml"));
    git("add", "-A");
    git("commit", "-qm", "v1");
    copyFileSync(join(ROOT, NEW), join(repo, "schemas", "app.yml"));

    const r = await hexlog(["validate-schema", "schemas", "--against", "HEAD"], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('schemas/app.yml:8:11: error: field "user_name" renamed to "username" (was at HEAD:schemas/app.yml:9:5)');
    expect(r.stdout).toContain("[breaking-change/field-deleted]");

    git("commit", "-qam", "v2");
    const same = await hexlog(["validate-schema", "schemas", "--against", "HEAD"], { cwd: repo });
    expect(same.code).toBe(0);

    const bad = await hexlog(["validate-schema", "schemas", "--against", "no-such-branch"], { cwd: repo });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--against no-such-branch: neither a directory nor a git revision here");
  });
});
