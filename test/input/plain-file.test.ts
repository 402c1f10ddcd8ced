import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/input/open.js";
import { PlainFile } from "../../src/input/plain-file.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hexlog-plain-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("PlainFile", () => {
  it("reads a regular file into the buffers it is given, from its first byte to the end", () => {
    const path = join(dir, "events.ndjson");
    const content = Buffer.from('{"a":1}\n{"b":2}\n'.repeat(100));
    writeFileSync(path, content);
    const file = PlainFile.open(path);
    expect(file).toBeDefined();
    const parts: Buffer[] = [];
    for (;;) {
      const into = Buffer.alloc(7);
      const n = file!.read(into);
      if (n === 0) break;
      parts.push(into.subarray(0, n));
    }
    file!.close();
    expect(Buffer.concat(parts).equals(content)).toBe(true);
    // Closed: nothing more, and no descriptor used.
    expect(file!.read(Buffer.alloc(4))).toBe(0);
  });

  it("leaves gzip, stdin, directories and missing paths to the stream reader", () => {
    const gz = join(dir, "events.ndjson");
    writeFileSync(gz, gzipSync('{"a":1}\n'));
    const sub = join(dir, "sub");
    mkdirSync(sub);
    for (const path of [gz, "-", sub, join(dir, "missing.ndjson")]) expect(PlainFile.open(path)).toBeUndefined();
  });

  it("leaves a named pipe to the stream reader without opening it (no writer needed)", () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    // Opening it would block this test until a writer came.
    expect(PlainFile.open(fifo)).toBeUndefined();
  });

  it("opens an empty file and a one-byte file (too short to be gzip)", () => {
    for (const [name, content] of [["empty", ""], ["one", "\x1f"]] as const) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const file = PlainFile.open(path);
      expect(file).toBeDefined();
      const into = Buffer.alloc(8);
      expect(file!.read(into)).toBe(content.length);
      file!.close();
    }
  });

  it("reports a read that fails as an input error naming the file", () => {
    const path = join(dir, "gone.ndjson");
    writeFileSync(path, "x\n");
    const file = PlainFile.open(path)!;
    file.close();
    // A descriptor that is no longer valid fails as a failing disk would: through the same words.
    (file as unknown as { fd: number }).fd = 1_000_000;
    let error: unknown;
    try {
      file.read(Buffer.alloc(4));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^cannot read .*gone\.ndjson: /);
  });
});
