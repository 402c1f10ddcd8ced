import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CappedReadError, readCapped } from "../../src/language/read-capped.js";
import { MAX_SCHEMA_BYTES, readSchemaFile } from "../../src/language/yaml-source.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hexlog-capped-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function thrown(f: () => unknown): CappedReadError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CappedReadError);
    return e as CappedReadError;
  }
  throw new Error("expected a CappedReadError");
}

describe("readCapped: configuration files read with a cap on bytes read", () => {
  it("reads a file up to the cap, and refuses one byte more", () => {
    const path = join(dir, "ten.yml");
    writeFileSync(path, "0123456789");
    expect(readCapped(path, 10).toString()).toBe("0123456789");
    const e = thrown(() => readCapped(path, 9));
    expect([e.tooLarge, e.message]).toEqual([true, "larger than 9 bytes"]);
  });

  it("refuses devices at once instead of reading them (/dev/zero never ends, /dev/null is no schema)", () => {
    for (const device of ["/dev/zero", "/dev/null"]) {
      const e = thrown(() => readCapped(device, 1024));
      expect([e.tooLarge, e.message]).toEqual([false, "a character device, not a file"]);
    }
  });

  it("stops reading a pipe that brings more than the cap (a pipe has no size to check first)", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    // A writer that would go on for 64 MiB; the reader stops after the cap and closes the pipe.
    const writer = spawn("sh", ["-c", `head -c 67108864 /dev/zero > ${fifo}`], { stdio: "ignore" });
    const done = new Promise((resolve) => writer.on("close", resolve));
    const e = thrown(() => readCapped(fifo, 1024 * 1024));
    expect(e.tooLarge).toBe(true);
    await done;
  });

  it("gives a schema read through a pipe past the limit as a schema-size problem", async () => {
    const fifo = join(dir, "schema-fifo");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `head -c ${MAX_SCHEMA_BYTES + 4096} /dev/zero | tr '\\0' 'a' > ${fifo}`], { stdio: "ignore" });
    const done = new Promise((resolve) => writer.on("close", resolve));
    const { problems } = await readSchemaFile(fifo);
    expect(problems).toEqual([{ line: 1, col: 1, rule: "schema-size", message: "too large for a log schema (more than 1 MiB; the limit is 1 MiB)" }]);
    await done;
  });
});
