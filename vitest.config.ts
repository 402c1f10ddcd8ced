import { defineConfig } from "vitest/config";
import { BACKTRACKS_BEFORE_FALLBACK } from "./src/engine/parsers/regex/linear.js";

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
    // The regex guard's V8 flags (src/engine/parsers/regex/linear.ts), set as each worker starts:
    // with isolate off, a worker runs many files, and setting V8 flags in the middle of a process
    // that has compiled regexes already is what Node warns may crash it (a worker once died in a
    // file after the regex tests).
    execArgv: ["--enable-experimental-regexp-engine", "--enable-experimental-regexp-engine-on-excessive-backtracks", `--regexp-backtracks-before-fallback=${BACKTRACKS_BEFORE_FALLBACK}`, "--no-regexp-tier-up"],
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
    // Generous: end-to-end tests spawn processes, and a loaded 2-core machine is slow, not wrong.
    testTimeout: 120_000,
  },
});
