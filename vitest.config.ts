import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/build.global-setup.ts"],
    setupFiles: ["test/setup/engine-modules.ts"],
    // End-to-end files mostly wait on the processes they spawn: two files at once on two cores
    // (one worker, the default here, ran the suite in 350 s; two in 237 s).
    maxWorkers: 2,
    // One module graph per worker, not one per file: the in-process files import most of src/, and
    // re-importing it for each file is most of their cost (the 76 files outside e2e/: 78 CPU-seconds
    // isolated, 28 shared, on this machine). No file depends on a fresh module state.
    isolate: false,
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
    // Generous: end-to-end tests spawn processes, and a loaded 2-core machine is slow, not wrong.
    testTimeout: 120_000,
  },
});
