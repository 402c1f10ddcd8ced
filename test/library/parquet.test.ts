/** The public API writes normalized records as Parquet and lake rows (src/index.ts). */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixedClock, LakeFormatter, loadLogTypes, Normalizer, ParquetSink, RowIds, type Clock } from "../../src/index.js";
import { openDuck } from "../helpers/duckdb.js";

const AUDIT = readFileSync("testdata/hex/audit.ndjson", "utf8").trim().split("\n");

describe("the library's data lake outputs", () => {
  it("writes what a Normalizer gives as Parquet files DuckDB reads, and as lake rows", async () => {
    const { types } = await loadLogTypes();
    const hex = types.filter((t) => t.name === "Hex.Audit");
    const normalizer = new Normalizer({ types: hex, clock: fixedClock("2026-01-02T03:04:05Z") as Clock, rowIds: new RowIds(1, 0) });
    const dir = mkdtempSync(join(tmpdir(), "hexlog-lib-parquet-"));
    const sink = new ParquetSink({ dir, types: hex });
    const lake = new LakeFormatter(hex);
    const lakeRows: string[] = [];
    for (const line of AUDIT) {
      const r = normalizer.normalize(line);
      if (!r.ok) throw new Error(r.message);
      expect(sink.write(r.logType, r.json)).toBeUndefined();
      lakeRows.push(lake.format(r.logType, r.json));
      await sink.flush();
    }
    await sink.end();
    const duck = await openDuck();
    try {
      expect(await duck.rows(`select count(*) as n, min(p_parse_time) as t from '${dir}/Hex.Audit/**/*.parquet'`)).toEqual([{ n: String(AUDIT.length), t: "2026-01-02 03:04:05+00" }]);
    } finally {
      duck.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(lakeRows).toHaveLength(AUDIT.length);
    expect(JSON.parse(lakeRows[0] as string)).toMatchObject({ p_parse_time: "2026-01-02 03:04:05.000000000" });
  });
});
