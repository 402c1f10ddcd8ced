/** Which thread of `parse --workers` parses the next batch: a worker with room, else the main thread. */
import { describe, expect, it } from "vitest";
import { chooseLane, MAX_PER_WORKER } from "../../src/pipeline/parallel/lane-choice.js";

const MAIN = 2;

describe("chooseLane", () => {
  it("has the main thread parse while no worker has booted", () => {
    expect(chooseLane([false, false], [0, 0])).toBe(MAIN);
  });

  it("gives the batch to the ready worker with the fewest runs out, even with a deep queue", () => {
    expect(chooseLane([true, true], [2, 1])).toBe(1);
    expect(chooseLane([true, false], [MAX_PER_WORKER - 1, 0])).toBe(0);
    expect(chooseLane([false, true], [0, 3])).toBe(1);
  });

  it("holds workers to fewer runs when told to (the last batches of an input)", () => {
    expect(chooseLane([true], [1], 2)).toBe(0);
    expect(chooseLane([true], [2], 2)).toBe(1);
    expect(chooseLane([true, true], [2, 1], 2)).toBe(1);
  });

  it("has the main thread parse the batch once every ready worker is full", () => {
    expect(chooseLane([true, true], [MAX_PER_WORKER, MAX_PER_WORKER])).toBe(MAIN);
    expect(chooseLane([true, false], [MAX_PER_WORKER, 0])).toBe(MAIN);
  });
});
