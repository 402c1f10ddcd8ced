// Build step: bundles the command line (dist/cli/main.js) into dist/bin/, which bin/hexlog runs.
// Start-up is most of a small run's cost, so the bundle is made to start fast:
//  - CommonJS chunks (*.cjs): bin/hexlog `require`s them, so a run never starts Node's ES module
//    loader, and they can be compiled with a V8 code cache (dist/bin/boot.cjs, from
//    src/cli/code-cache.ts), which ES modules cannot have on Node 20.
//  - Everything a `parse` loads before its first event goes into one chunk (core); the other
//    commands' modules stay in chunks loaded when their command runs.
//  - Packages stay in node_modules, except those Node 20 cannot `require()` (ES modules only,
//    such as any-ascii and hyparquet-writer, imported statically by the lake and Parquet
//    writers), and commander: those are bundled into the chunk that uses them. Commander is
//    seven CommonJS files that every run loads; as files, Node's loader resolves each (and
//    optimizes path.normalizeString doing so, about 3 % of a one-event parse's instructions). A dynamic import() of a package
//    or of a computed path goes through boot.cjs's importModule(), because code compiled from
//    a code cache has no import() of its own on Node 20.
// The --workers thread (dist/pipeline/parallel/worker.js) is bundled apart, as ES modules, into
// dist/bin/worker.js: a thread of its own shares no module state with the main bundle.
// The library (dist/index.js) is not bundled. Files found relative to the code (package.json,
// schemas/, dist/builtin-schemas.json, dist/build-id.txt, dist/language/logschema-validator.js)
// are at the same depth from dist/bin/.
import { readFileSync, rmSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rollup } from "@rollup/wasm-node";
import commonjs from "@rollup/plugin-commonjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const out = join(dist, "bin");
const main = join(dist, "cli", "main.js");
const parse = join(dist, "cli", "parse.js");
const BOOT = "boot.cjs";
const builtins = new Set(builtinModules);
const isBuiltin = (id) => id.startsWith("node:") || builtins.has(id);
const isPackage = (id) => /^(@[^/.][^/]*\/)?[^/.][^/]*(\/.*)?$/.test(id) && !isBuiltin(id);
/** CommonJS packages bundled all the same (see above), turned into ES modules by @rollup/plugin-commonjs. */
const BUNDLED_COMMONJS = new Set(["commander"]);
const packageName = (id) => id.split("/").slice(0, id.startsWith("@") ? 2 : 1).join("/");

/** Whether a resolved file is an ES module: Node 20 (before 20.19) cannot require() it. */
function isEsModule(file) {
  if (file.endsWith(".mjs")) return true;
  if (file.endsWith(".cjs")) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).type === "module";
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
    }
  }
  return false;
}

/** Packages external unless ES-module-only; dynamic imports of packages through boot.cjs. */
const packagesForCommonJs = {
  name: "hexlog-packages-for-commonjs",
  resolveId(source, importer) {
    if (!importer || !isPackage(source)) return null;
    const file = createRequire(importer).resolve(source);
    return isEsModule(file) || BUNDLED_COMMONJS.has(packageName(source)) ? file : { id: source, external: true };
  },
  resolveDynamicImport(specifier) {
    return typeof specifier === "string" && isPackage(specifier) ? { id: specifier, external: true } : null;
  },
  renderDynamicImport({ targetChunk, targetModuleId }) {
    if (targetChunk || (targetModuleId && isBuiltin(targetModuleId))) return null;
    return { left: `require("./${BOOT}").importModule(`, right: ")" };
  },
};

/**
 * Non-ASCII characters written as \u escapes: V8 keeps a source with any of them (a "—" in a
 * comment, a "≥" in a message) as two bytes a character and decodes it as UTF-8 on every start;
 * ASCII is one byte a character and cheaper to read (about 2 % of a one-event parse's
 * instructions). An escape means the same character in a string, a regex, an identifier and a
 * template's value; only a tagged template's raw text would differ, so one with such characters
 * stops the build.
 */
const asciiOnly = {
  name: "hexlog-ascii-only",
  renderChunk(code, chunk) {
    if (!/[^\x00-\x7f]/.test(code)) return null;
    const walk = (node) => {
      if (!node || typeof node.type !== "string") return;
      if (node.type === "TaggedTemplateExpression" && /[^\x00-\x7f]/.test(code.slice(node.quasi.start, node.quasi.end))) {
        throw new Error(`bundling the command line: a tagged template with non-ASCII text in ${chunk.fileName}: ${code.slice(node.start, node.start + 60)}`);
      }
      for (const v of Object.values(node)) for (const child of Array.isArray(v) ? v : [v]) if (child && typeof child === "object") walk(child);
    };
    walk(this.parse(code));
    return { code: code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`), map: null };
  },
};

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

const onwarn = (warning) => {
  // What would break at run time stops the build; anything else is shown.
  if (["UNRESOLVED_IMPORT", "MISSING_EXPORT", "EVAL", "INVALID_IMPORT_ATTRIBUTE"].includes(warning.code)) throw new Error(`bundling the command line: ${warning.message}`);
  process.stderr.write(`bundle-cli: ${warning.message}\n`);
};
// No tree-shaking: the modules are hexlog's own and all needed, and rollup's analysis once
// dropped a live branch (explain's --format json) by assuming a parameter's only value from the
// one static call site it could see. The bundle exists for fewer module loads, not less code.
const treeshake = false;

async function build(input, options, output) {
  const bundle = await rollup({ input, treeshake, onwarn, ...options });
  await bundle.write({ dir: out, ...output });
  await bundle.close();
}

rmSync(out, { recursive: true, force: true });
// The command line: CommonJS, the core chunk apart from the rest.
/**
 * Commander requires node:child_process when it loads, for subcommands that are executables of
 * their own (hexlog has none): loading it (with net and dgram) cost ~1.5 % of a one-event
 * parse's instructions. Its one use, spawn, now requires it when called; the plugin leaves that
 * require as it is.
 */
const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";
const lazyChildProcess = {
  name: "hexlog-lazy-child-process",
  transform(code, id) {
    if (!/\/node_modules\/commander\/lib\/command\.js$/.test(id)) return null;
    if (!code.includes(COMMANDER_CHILD_PROCESS) || /childProcess\.(?!spawn\()/.test(code)) {
      throw new Error("bundling the command line: commander's use of node:child_process changed; update lazyChildProcess");
    }
    return { code: code.replace(COMMANDER_CHILD_PROCESS, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"), map: null };
  },
};
const bundledCommonJs = commonjs({ include: [...BUNDLED_COMMONJS].map((p) => new RegExp(`/node_modules/${p}/`)), ignore: ["node:child_process"] });
await build({ main }, { external: isBuiltin, plugins: [packagesForCommonJs, lazyChildProcess, bundledCommonJs, asciiOnly] }, {
  format: "cjs",
  entryFileNames: "[name].cjs",
  chunkFileNames: "[name]-[hash].cjs",
  dynamicImportInCjs: false,
  manualChunks: (id, { getModuleInfo }) => (coreOf(getModuleInfo).has(id) ? "core" : undefined),
});
// Its way in: one small file required without the code cache (it installs it).
await build({ boot: join(dist, "cli", "code-cache.js") }, { external: isBuiltin, plugins: [asciiOnly] }, { format: "cjs", entryFileNames: BOOT, dynamicImportInCjs: true });
// The --workers thread: ES modules, as Worker loads it by URL.
await build({ worker: join(dist, "pipeline", "parallel", "worker.js") }, { external: (id) => isBuiltin(id) || isPackage(id), plugins: [asciiOnly] }, {
  format: "es",
  entryFileNames: "[name].js",
  chunkFileNames: "worker-[name]-[hash].js",
});
