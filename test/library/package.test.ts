/**
 * hexlog as another project installs it: the packed tarball in a project's node_modules, imported
 * by name from plain JavaScript and type-checked from TypeScript; the examples/ programs run.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "hexlog-consumer-"));
  const packed = mkdtempSync(join(tmpdir(), "hexlog-pack-"));
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", packed, "--json"], { cwd: ROOT, encoding: "utf8" });
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  const installed = join(project, "node_modules", "hexlog");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(packed, filename), "-C", installed, "--strip-components=1"]);
  // Its dependencies as npm would place them: beside it (taken from this checkout, no network).
  for (const dep of readdirSync(join(ROOT, "node_modules"))) {
    if (dep === "hexlog" || dep.startsWith(".")) continue;
    symlinkSync(join(ROOT, "node_modules", dep), join(project, "node_modules", dep));
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
}, 120_000);

describe("the packed package", () => {
  it("imports by name, compiles a schema and normalizes an event", () => {
    const program = `
      import { compileLogType, Normalizer } from "hexlog";
      const { logType, problems } = await compileLogType("schema: Custom.App\\nfields:\\n  - name: user\\n    type: string\\n    indicators: [email]\\n");
      const out = new Normalizer({ types: [logType] }).normalize({ user: "ana@example.com" });
      console.log(JSON.stringify({ problems, ok: out.ok, emails: out.indicators.p_any_emails, type: out.record.p_log_type }));
    `;
    const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", program], { cwd: project, encoding: "utf8" });
    expect(JSON.parse(stdout)).toEqual({ problems: [], ok: true, emails: ["ana@example.com"], type: "Custom.App" });
  });

  it("ships type declarations a TypeScript program compiles against", () => {
    writeFileSync(
      join(project, "main.ts"),
      `import { loadLogTypes, Normalizer, type NormalizeOutcome } from "hexlog";
const { types } = await loadLogTypes();
const outcome: NormalizeOutcome = new Normalizer({ types }).normalize({});
if (outcome.ok) { const t: string = outcome.logType; console.log(t, outcome.indicators.p_any_ip_addresses?.length); }
else { const p: string = outcome.path; console.log(p); }
`,
    );
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] }, files: ["main.ts"] }));
    execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", project], { cwd: project, encoding: "utf8" });
  }, 180_000);

  it("does nothing on import: no output, no listeners left", () => {
    const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", 'await import("hexlog"); console.log(process.listenerCount("SIGINT"), process.exitCode ?? 0)'], { cwd: project, encoding: "utf8" });
    expect(stdout.trim()).toBe("0 0");
  });

  it("runs the examples/ programs", () => {
    // Copied, so that "hexlog" resolves to the installed package, as in a user's project.
    cpSync(join(ROOT, "examples"), join(project, "examples"), { recursive: true });
    const stdout = execFileSync(process.execPath, [join(project, "examples", "normalize-events.mjs"), join(ROOT, "testdata", "hex", "audit.ndjson")], { cwd: project, encoding: "utf8" });
    expect(stdout).toMatch(/one event: Hex\.Audit at 2026-01-01T00:00:00Z/);
    expect(stdout).toMatch(/: 18 records, 0 failures, \d+ distinct emails/);
  });
});
