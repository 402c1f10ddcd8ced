// Build step: bundles the built-in schemas (schemas/*.yml) as JSON into dist/, so that a run
// using only built-in log types starts without loading the YAML parser, and checked here, so that
// a run compiles only the built-ins it uses (src/catalog/load-types.ts). The list and its order
// (the order classification tries them) come from the compiled catalog; a schema file in the
// folder that the list lacks stops the build, so the two cannot drift apart.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { BUILTIN_SCHEMA_FILES } from "../dist/catalog/files.js";
import { buildLogType } from "../dist/engine/logtype.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const inFolder = readdirSync(join(root, "schemas")).filter((f) => /\.ya?ml$/.test(f));
const unlisted = inFolder.filter((f) => !BUILTIN_SCHEMA_FILES.includes(f));
const missing = BUILTIN_SCHEMA_FILES.filter((f) => !inFolder.includes(f));
if (unlisted.length > 0 || missing.length > 0) {
  throw new Error(`schemas/ and BUILTIN_SCHEMA_FILES (src/catalog/files.ts) disagree: unlisted ${unlisted.join(", ") || "none"}; missing ${missing.join(", ") || "none"}`);
}
const bundle = BUILTIN_SCHEMA_FILES.map((file) => {
  const text = readFileSync(join(root, "schemas", file), "utf8");
  const value = parse(text, { version: "1.2" });
  // Runs that need one log type skip the others by file name (src/catalog/load-types.ts).
  if (value?.schema !== file.replace(/\.ya?ml$/, "")) throw new Error(`schemas/${file} must define the log type ${file.replace(/\.ya?ml$/, "")}, not ${value?.schema}`);
  const { logType, issues } = buildLogType(value, file.replace(/\.ya?ml$/, ""), true);
  if (!logType || issues.length > 0) throw new Error(`schemas/${file} has findings: ${issues.map((i) => `${i.path.join(".")}: ${i.message} [${i.rule}]`).join("; ")}`);
  return { file, text, value, name: logType.name, description: logType.description };
});
writeFileSync(join(root, "dist", "builtin-schemas.json"), JSON.stringify(bundle));
