// Build step, last: an id of this build (a hash of the compiled code and the built-in schemas),
// which keys the schema cache (src/catalog/schema-cache.ts): another build never reads the
// outcomes an older one stored.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const hash = createHash("sha256");
hash.update(readFileSync(join(root, "package.json")));
const files = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\.(c?js|json)$/.test(e.name))
  .map((e) => join(e.parentPath ?? e.path, e.name))
  .sort();
for (const f of files) hash.update(`${relative(dist, f)}\0`).update(readFileSync(f));
writeFileSync(join(dist, "build-id.txt"), `${hash.digest("hex")}\n`);
