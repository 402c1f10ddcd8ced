import { PerformanceObserver, constants, type PerformanceEntry } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { reclaimAfter } from "../../src/cli/reclaim-memory.js";

/** Minor collections seen while `run` runs (the observer reports them asynchronously). */
async function minorCollectionsDuring(run: () => void): Promise<number> {
  let minor = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
  });
  observer.observe({ entryTypes: ["gc"] });
  run();
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return minor;
}

describe("reclaimAfter", () => {
  it("collects the young generation once every N refusals, not on the others", async () => {
    const reclaim = reclaimAfter(5);
    // Fifty calls allocate nothing to speak of: ten collections are the ones asked for, and a
    // collection on every call would show fifty.
    const seen = await minorCollectionsDuring(() => {
      for (let i = 0; i < 50; i++) reclaim();
    });
    expect(seen).toBeGreaterThanOrEqual(10);
    expect(seen).toBeLessThan(20);
  });
});
