// A tiny stand-in for `duckdb -c "SQL"` through DuckDB's Node API (a devDependency), for reading
// the Parquet files of `hexlog parse --format parquet` where the DuckDB CLI is not installed.
// Usage: node scripts/duckdb.mjs "select count(*) from 'out/Hex.Audit/**/*.parquet'"
import { DuckDBInstance } from "@duckdb/node-api";

const sql = process.argv[2];
if (!sql) {
  console.error('usage: node scripts/duckdb.mjs "SQL"');
  process.exit(2);
}
const db = await DuckDBInstance.create(":memory:");
const conn = await db.connect();
await conn.run("SET TimeZone = 'UTC'");
try {
  const result = await conn.runAndReadAll(sql);
  const names = result.columnNames();
  const text = (v) => (v === null ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v));
  const rows = result.getRowObjectsJson().map((r) => names.map((n) => text(r[n])));
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  console.log(line(names));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(r));
} catch (e) {
  console.error(`duckdb: ${e.message}`);
  process.exitCode = 1;
} finally {
  conn.closeSync();
  db.closeSync();
}
