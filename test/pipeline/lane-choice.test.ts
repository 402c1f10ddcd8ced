/** Which thread of `parse --workers` parses the next batch: the main thread only with its spare time. */
import { describe, expect, it } from "vitest";
import { chooseLane, FED, MAX_PER_WORKER } from "../../src/pipeline/parallel/lane-choice.js";

const MAIN = 2;

describe("chooseLane", () => {
  it("has the main thread parse while no worker has booted", () => {
    expect(chooseLane({ ready: [false, false], out: [0, 0], mainBusyMs: 500, workerBusyMs: [0, 0] })).toBe(MAIN);
  });

  it("feeds the ready worker with the fewest runs out, whatever the main thread's share", () => {
    expect(chooseLane({ ready: [true, true], out: [1, 0], mainBusyMs: 0, workerBusyMs: [900, 900] })).toBe(1);
    expect(chooseLane({ ready: [false, true], out: [0, FED - 1], mainBusyMs: 0, workerBusyMs: [0, 900] })).toBe(1);
  });

  it("has the main thread parse a batch once the workers are fed, while it has been less busy than they have", () => {
    expect(chooseLane({ ready: [true, true], out: [FED, FED], mainBusyMs: 400, workerBusyMs: [500, 400] })).toBe(MAIN);
  });

  it("gives the batch to a fed worker with room when the main thread has been the busier", () => {
    expect(chooseLane({ ready: [true, true], out: [FED, FED + 1], mainBusyMs: 600, workerBusyMs: [500, 400] })).toBe(0);
  });

  it("waits for a result when the main thread has been the busier and every worker is full", () => {
    expect(chooseLane({ ready: [true, true], out: [MAX_PER_WORKER, MAX_PER_WORKER], mainBusyMs: 600, workerBusyMs: [500, 400] })).toBe(-1);
  });
});
