/** When `parse --workers N` starts its worker threads, and boot.cjs's early start read from the arguments alone. */
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { earlyWorkerCount, whenThreads, workersForParse } from "../../src/cli/thread-start.js";
import type { StartedWorker } from "../../src/pipeline/parallel/start-workers.js";
import { DEFAULT_MAX_EVENT_BYTES } from "../../src/pipeline/limits.js";
import { tempDir } from "../helpers/cli.js";

const argv = (...args: string[]) => ["node", "hexlog", ...args];

describe("early worker threads, judged from the arguments", () => {
  let big: string;
  let small: string;
  beforeEach(() => {
    process.env.HEXLOG_PARALLEL_MIN_BYTES = "1000";
    const dir = tempDir();
    big = join(dir, "big.ndjson");
    small = join(dir, "small.ndjson");
    writeFileSync(big, "{}\n".repeat(400));
    writeFileSync(small, "{}\n");
  });
  afterEach(() => {
    delete process.env.HEXLOG_PARALLEL_MIN_BYTES;
  });

  it("are started for a parse of large plain files with --workers of 2 or more, in either spelling", () => {
    expect(earlyWorkerCount(argv("parse", "-t", "Hex.Audit", "--workers", "2", big))).toBe(2);
    expect(earlyWorkerCount(argv("parse", "--workers=3", small, big))).toBe(3);
    expect(earlyWorkerCount(argv("--no-color", "parse", big, "--workers", "auto"))).toBe(availableParallelism() >= 2 ? availableParallelism() : 0);
    // The last --workers counts, as in commander.
    expect(earlyWorkerCount(argv("parse", "--workers", "4", "--workers", "2", big))).toBe(2);
  });

  it("are not started for small or unknown inputs, one thread, another command, or their own heap limits", () => {
    expect(earlyWorkerCount(argv("parse", "--workers", "2", small))).toBe(0);
    expect(earlyWorkerCount(argv("parse", "--workers", "2"))).toBe(0);
    expect(earlyWorkerCount(argv("parse", "--workers", "2", "-"))).toBe(0);
    expect(earlyWorkerCount(argv("parse", "--workers", "1", big))).toBe(0);
    expect(earlyWorkerCount(argv("parse", big))).toBe(0);
    expect(earlyWorkerCount(argv("parse", "--workers", "x", big))).toBe(0);
    expect(earlyWorkerCount(argv("parse", "--workers", "65", big))).toBe(0);
    expect(earlyWorkerCount(argv("explain", "--workers", "2", big))).toBe(0);
    expect(earlyWorkerCount(argv("parse", "--workers", "2", "--max-event-bytes", "1MiB", big))).toBe(0);
    expect(earlyWorkerCount(argv("parse", "--workers", "2", "--", big))).toBe(0);
  });

  it("follow the threshold of the command line's own choice", () => {
    expect(whenThreads([big])).toBe("now");
    expect(whenThreads([small])).toBe("never");
    expect(whenThreads([join(tempDir(), "missing")])).toBe("later");
    process.env.HEXLOG_PARALLEL_MIN_BYTES = "0";
    expect(earlyWorkerCount(argv("parse", "--workers", "2"))).toBe(2);
    expect(whenThreads([])).toBe("now");
  });
});

describe("the workers parse keeps", () => {
  const fakeWorkers = (n: number) => {
    const stopped: number[] = [];
    const workers = Array.from({ length: n }, (_, i) => ({ worker: { terminate: async () => void stopped.push(i) } }) as unknown as StartedWorker);
    return { workers, stopped };
  };

  it("are the early ones when they are as many as it needs, with the default heap limits", () => {
    const { workers, stopped } = fakeWorkers(1);
    expect(workersForParse(workers, "now", 2, DEFAULT_MAX_EVENT_BYTES)).toBe(workers);
    expect(stopped).toEqual([]);
  });

  it("stop the early ones when the run goes on one thread or starts its workers later", () => {
    for (const when of ["never", "later"] as const) {
      const { workers, stopped } = fakeWorkers(2);
      expect(workersForParse(workers, when, 3, DEFAULT_MAX_EVENT_BYTES)).toBeUndefined();
      expect(stopped).toEqual([0, 1]);
    }
    expect(workersForParse(undefined, "never", 1, DEFAULT_MAX_EVENT_BYTES)).toBeUndefined();
  });
});
