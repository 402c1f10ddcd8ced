// Build step: bundles the command line (dist/cli/main.js) and the --workers thread
// (dist/pipeline/parallel/worker.js) into dist/bin/, which bin/hexlog runs. Start-up is mostly
// Node's ES module loader resolving, reading and linking modules one by one, so everything a
// `parse` loads before its first event goes into one chunk; the other commands' modules stay in
// chunks loaded when their command runs. The library (dist/index.js) is not bundled.
// Files found relative to the code (package.json, schemas/, dist/builtin-schemas.json,
// dist/build-id.txt, dist/language/logschema-validator.js) are at the same depth from dist/bin/.
import { rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rollup } from "@rollup/wasm-node";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const out = join(dist, "bin");
const main = join(dist, "cli", "main.js");
const parse = join(dist, "cli", "parse.js");
const builtins = new Set(builtinModules);
// Packages stay in node_modules: only hexlog's own modules are bundled.
const external = (id) => id.startsWith("node:") || builtins.has(id) || /^(@[^/.][^/]*\/)?[^/.][^/]*(\/.*)?$/.test(id);

/** What `hexlog parse` loads before its first event: main's and parse's static imports. */
let core;
function coreOf(getModuleInfo) {
  if (core) return core;
  core = new Set();
  const visit = (id) => {
    const info = getModuleInfo(id);
    if (core.has(id) || !info || info.isExternal) return;
    core.add(id);
    for (const d of info.importedIds) visit(d);
  };
  visit(main);
  visit(parse);
  return core;
}

const bundle = await rollup({
  input: { main, worker: join(dist, "pipeline", "parallel", "worker.js") },
  external,
  // No tree-shaking: the modules are hexlog's own and all needed, and rollup's analysis once
  // dropped a live branch (explain's --format json) by assuming a parameter's only value from the
  // one static call site it could see. The bundle exists for fewer module loads, not less code.
  treeshake: false,
  onwarn(warning) {
    // What would break at run time stops the build; anything else is shown.
    if (["UNRESOLVED_IMPORT", "MISSING_EXPORT", "EVAL", "INVALID_IMPORT_ATTRIBUTE"].includes(warning.code)) throw new Error(`bundling the command line: ${warning.message}`);
    process.stderr.write(`bundle-cli: ${warning.message}\n`);
  },
});
rmSync(out, { recursive: true, force: true });
await bundle.write({
  dir: out,
  format: "es",
  entryFileNames: "[name].js",
  chunkFileNames: "[name]-[hash].js",
  manualChunks: (id, { getModuleInfo }) => (coreOf(getModuleInfo).has(id) ? "core" : undefined),
});
await bundle.close();
