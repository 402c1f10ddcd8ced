// In-process tests compile schemas of every parser, as an embedder does through src/index.ts:
// the engine's optional modules are loaded up front (the command line's lazy loading is
// pinned by test/engine/optional.test.ts and the end-to-end tests).
import "../../src/engine/all-modules.js";
