/**
 * hexlog's layers, lowest first; a layer imports only layers below it (type-only imports count):
 *   language → engine, input → catalog → pipeline → output → tools, server → cli
 * `npm run check:layers` (and so `npm test`) fails on a wrong-way import or a cycle.
 */
const layers = {
  language: [],
  engine: ["language"],
  input: ["language"],
  catalog: ["language", "engine", "input"],
  pipeline: ["language", "engine", "input", "catalog"],
  output: ["language", "engine", "input", "catalog", "pipeline"],
  tools: ["language", "engine", "input", "catalog", "pipeline", "output"],
  server: ["language", "engine", "input", "catalog", "pipeline", "output"],
};
const all = [...Object.keys(layers), "cli"];

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes two modules one: merge them or move what both need lower.",
      from: {},
      to: { circular: true },
    },
    ...Object.entries(layers).map(([layer, below]) => ({
      name: `${layer}-imports-only-lower-layers`,
      severity: "error",
      comment: `src/${layer}/ may import ${below.length ? below.map((l) => `src/${l}/`).join(", ") : "nothing of hexlog's"} (and itself).`,
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${all.filter((l) => l !== layer && !below.includes(l)).join("|")})/` },
    })),
    {
      name: "library-entry-is-not-the-cli",
      severity: "error",
      comment: "src/index.ts is the public API: importing it must not pull in the command line.",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/cli/" },
    },
    {
      name: "nothing-imports-the-cli",
      severity: "error",
      comment: "The command line is the top layer.",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.build.json" },
    moduleSystems: ["es6"],
  },
};
