// Build step: writes schemas/logschema.schema.json, the editor JSON Schema of the language,
// from the vocabulary (src/language/vocabulary/, compiled by tsc into dist/). The file is
// checked in for editors; test/language/vocabulary.test.ts fails when it is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatJsonSchema, JSON_SCHEMA_FILE, languageJsonSchema } from "../dist/language/vocabulary/to-json-schema.js";

const file = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas", JSON_SCHEMA_FILE);
const text = formatJsonSchema(languageJsonSchema());
let old = "";
try {
  old = readFileSync(file, "utf8");
} catch {
  // Written below.
}
// Unchanged files keep their time stamps (editors and watchers see no change).
if (text !== old) writeFileSync(file, text);
