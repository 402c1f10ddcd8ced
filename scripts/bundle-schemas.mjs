// Build step: bundles the built-in schemas (the schema files of schemas/) as JSON into dist/, so
// that a run using only built-in log types starts without loading the YAML parser, and checked
// here, so that a run compiles only the built-ins it uses (src/catalog/load-types.ts). The files
// are the folder's; their order (the order classification tries them) is the compiled
// catalog's (orderBuiltinFiles in src/catalog/files.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { builtinSchemaFiles } from "../dist/catalog/files.js";
import { isDeepStrictEqual } from "node:util";
import { buildLogType } from "../dist/engine/logtype.js";
import { checkSchema } from "../dist/language/check.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Without a bundle argument the catalog reads the folder (a bundle of an earlier build is ignored).
const files = builtinSchemaFiles(null);
const bundle = files.map((file) => {
  const text = readFileSync(join(root, "schemas", file), "utf8");
  const value = parse(text, { version: "1.2" });
  // Runs that need one log type skip the others by file name (src/catalog/load-types.ts).
  if (value?.schema !== file.replace(/\.ya?ml$/, "")) throw new Error(`schemas/${file} must define the log type ${file.replace(/\.ya?ml$/, "")}, not ${value?.schema}`);
  const { logType, issues } = buildLogType(value, file.replace(/\.ya?ml$/, ""), true);
  if (!logType || issues.length > 0) throw new Error(`schemas/${file} has findings: ${issues.map((i) => `${i.path.join(".")}: ${i.message} [${i.rule}]`).join("; ")}`);
  // What the check made of it, kept so that a run compiles it without checking it again; it
  // must survive JSON as it is.
  const checked = checkSchema(value, file.replace(/\.ya?ml$/, "")).schema;
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(checked)), checked)) throw new Error(`schemas/${file}: the checked schema does not survive JSON`);
  return { file, text, value, name: logType.name, description: logType.description, checked };
});
writeFileSync(join(root, "dist", "builtin-schemas.json"), JSON.stringify(bundle));
