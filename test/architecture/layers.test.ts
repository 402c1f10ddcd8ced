/** The layering rules (.dependency-cruiser.cjs) hold for src/ and catch a wrong-way import. */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const CRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

describe("layers", () => {
  it("point one way in src/, with no cycles", () => {
    const out = execFileSync(process.execPath, [CRUISE, "src", "--config", CONFIG], { cwd: ROOT, encoding: "utf8" });
    expect(out).toMatch(/no dependency violations found/);
  }, 120_000);

  it("fail the check when the engine imports the pipeline", () => {
    const r = spawnSync(process.execPath, [CRUISE, "src", "--config", CONFIG], { cwd: join(ROOT, "testdata", "layers", "wrong-way"), encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/engine-imports-only-lower-layers: src\/engine\/normalize\.ts → src\/pipeline\/loop\.ts/);
  }, 120_000);
});
