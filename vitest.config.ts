import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/build.global-setup.ts"],
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
    // Generous: end-to-end tests spawn processes, and a loaded 2-core machine is slow, not wrong.
    testTimeout: 120_000,
  },
});
