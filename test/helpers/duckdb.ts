/** Reads Parquet files back with a real query engine (DuckDB, in process). */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

export interface Duck {
  /** Rows as JSON-friendly objects (BIGINT as text, timestamps as text). */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Column name → DuckDB type of a query's result. */
  types(sql: string): Promise<Record<string, string>>;
  close(): void;
}

export async function openDuck(): Promise<Duck> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn: DuckDBConnection = await instance.connect();
  // Timestamps with time zone print in the session's zone: pin it.
  await conn.run("SET TimeZone = 'UTC'");
  return {
    async rows(sql) {
      return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
    },
    async types(sql) {
      const r = await conn.runAndReadAll(sql);
      const names = r.columnNames();
      const types = r.columnTypes().map(String);
      return Object.fromEntries(names.map((n, i) => [n, types[i] as string]));
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
