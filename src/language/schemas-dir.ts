/** Where hexlog's schemas/ folder is: the language's JSON Schema and the built-in log schemas. */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function schemasDir(): string {
  // dist/language/schemas-dir.js (or src/language/ under the tests) → ../../schemas
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas");
}
