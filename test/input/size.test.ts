/** knownInputBytes: the inputs' size when it is known before reading them. */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { knownInputBytes } from "../../src/input/size.js";

const dir = join(tmpdir(), `hexlog-size-${process.pid}`);
mkdirSync(dir, { recursive: true });
const file = (name: string, data: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

describe("the size of a run's inputs", () => {
  it("adds up regular files", () => {
    expect(knownInputBytes([file("a.ndjson", "x".repeat(100)), file("b.ndjson", "y".repeat(23))])).toBe(123);
  });

  it("is unknown for gzip (whatever the name), a directory or a missing file", () => {
    const plain = file("c.ndjson", "{}\n");
    expect(knownInputBytes([plain, file("d.log", gzipSync("{}\n".repeat(1000)))])).toBeUndefined();
    expect(knownInputBytes([plain, dir])).toBeUndefined();
    expect(knownInputBytes([plain, join(dir, "missing.ndjson")])).toBeUndefined();
  });
});
