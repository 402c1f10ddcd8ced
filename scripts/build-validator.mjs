// Build step: compiles the language's JSON Schema (generated from the vocabulary, the same as
// schemas/logschema.schema.json) into standalone validation code
// (dist/language/logschema-validator.js), so validate-schema imports one module instead of
// loading ajv and compiling the JSON Schema on every run. Runs after tsc (it uses dist/).
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import standaloneCode from "ajv/dist/standalone/index.js";
import { createAjv } from "../dist/language/json-schema.js";
import { languageJsonSchema } from "../dist/language/vocabulary/to-json-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ajv = await createAjv({ code: { source: true, esm: true } });
const validate = ajv.compile(languageJsonSchema());
const code = standaloneCode.default(ajv, validate);
// The output is an ES module: a CommonJS require would only fail when first called.
if (code.includes("require(")) throw new Error("standalone validator needs a runtime require; adjust the ajv options");
writeFileSync(join(root, "dist", "language", "logschema-validator.js"), code);
