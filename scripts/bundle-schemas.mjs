// Build step: bundles the built-in schemas (schemas/*.yml) as JSON into dist/, so that a run
// using only built-in log types starts without loading the YAML parser.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = ["Hex.Audit.yml", "Auth0.Events.yml", "Panther.Audit.yml"];
const bundle = files.map((file) => {
  const text = readFileSync(join(root, "schemas", file), "utf8");
  return { file, text, value: parse(text, { version: "1.2" }) };
});
writeFileSync(join(root, "dist", "builtin-schemas.json"), JSON.stringify(bundle));
