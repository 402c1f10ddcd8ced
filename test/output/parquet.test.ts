/** The Parquet sink: records written as typed, partitioned Parquet files and read back with DuckDB. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { buildLogType, type LogType } from "../../src/engine/logtype.js";
import { EventProcessor } from "../../src/engine/process.js";
import { RowIds } from "../../src/engine/rowid.js";
import { ParquetSink, type ParquetSinkOptions } from "../../src/output/parquet/sink.js";
import { openDuck, type Duck } from "../helpers/duckdb.js";

const data = join(import.meta.dirname, "..", "..", "testdata", "parquet");

function logType(value: unknown): LogType {
  const { logType, issues } = buildLogType(value, "x");
  if (!logType) throw new Error(JSON.stringify(issues));
  return logType;
}

const KINDS = logType(parseYaml(readFileSync(join(data, "Custom.Kinds.yml"), "utf8")));
const SMALL = logType({ schema: "Custom.Small", fields: [{ name: "at", type: "timestamp", timeFormats: ["rfc3339"], isEventTime: true }, { name: "n", type: "int" }, { name: "pad", type: "string" }] });

/** Records (JSON text) the engine makes of NDJSON lines. */
function records(type: LogType, lines: string[]): string[] {
  const p = new EventProcessor([type], { rowIds: new RowIds(1, 0) });
  p.setClock(1772668800, "2026-03-05T00:00:00Z");
  return lines.map((l) => {
    const r = p.process(l, JSON.parse(l));
    if (!r.ok) throw new Error(`${r.path}: ${r.message}`);
    return r.json;
  });
}

const dirs: string[] = [];
function outDir(): string {
  const d = mkdtempSync(join(tmpdir(), "hexlog-parquet-"));
  dirs.push(d);
  return d;
}

/** Every file under dir, relative, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function writeAll(options: Omit<ParquetSinkOptions, "types"> & { types?: LogType[] }, type: LogType, recs: string[]): Promise<ParquetSink> {
  const sink = new ParquetSink({ types: [type], ...options });
  for (const r of recs) {
    expect(sink.write(type.name, r)).toBeUndefined();
    if (sink.needsFlush) await sink.flush();
  }
  await sink.end();
  expect(sink.failure).toBeUndefined();
  return sink;
}

let duck: Duck;
beforeAll(async () => {
  duck = await openDuck();
});
afterAll(() => {
  duck.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("Parquet output", () => {
  it("partitions files by log type and p_event_time day, Hive style", async () => {
    const dir = outDir();
    const lines = readFileSync(join(data, "kinds.ndjson"), "utf8").trim().split("\n");
    await writeAll({ dir, runId: "run1" }, KINDS, records(KINDS, lines));
    expect(tree(dir)).toEqual(["Custom.Kinds/dt=2026-03-01/part-run1-00001.parquet", "Custom.Kinds/dt=2026-03-02/part-run1-00002.parquet"]);
    const rows = await duck.rows(`select dt, count(*) as n from read_parquet('${dir}/Custom.Kinds/**/*.parquet', hive_partitioning = true) group by dt order by dt`);
    expect(rows).toEqual([
      { dt: "2026-03-01", n: "2" },
      { dt: "2026-03-02", n: "1" },
    ]);
  });

  it("types every column from the schema", async () => {
    const dir = outDir();
    const lines = readFileSync(join(data, "kinds.ndjson"), "utf8").trim().split("\n");
    await writeAll({ dir }, KINDS, records(KINDS, lines));
    const types = await duck.types(`select * from read_parquet('${dir}/**/*.parquet', hive_partitioning = false)`);
    expect(types).toEqual({
      name: "VARCHAR",
      count: "INTEGER",
      small: "SMALLINT",
      big: "BIGINT",
      ratio: "DOUBLE",
      ok: "BOOLEAN",
      at: "TIMESTAMP WITH TIME ZONE",
      extra: "VARCHAR",
      client: 'STRUCT("ip" VARCHAR, "seen" TIMESTAMP WITH TIME ZONE, "port" INTEGER)',
      tags: "VARCHAR[]",
      hops: 'STRUCT("host" VARCHAR, "ms" DOUBLE)[]',
      times: "TIMESTAMP WITH TIME ZONE[]",
      p_log_type: "VARCHAR",
      p_row_id: "VARCHAR",
      p_event_time: "TIMESTAMP WITH TIME ZONE",
      p_parse_time: "TIMESTAMP WITH TIME ZONE",
      p_source_id: "VARCHAR",
      p_source_label: "VARCHAR",
      p_any_ip_addresses: "VARCHAR[]",
      p_any_domain_names: "VARCHAR[]",
      p_any_md5_hashes: "VARCHAR[]",
      p_any_sha1_hashes: "VARCHAR[]",
      p_any_sha256_hashes: "VARCHAR[]",
      p_any_trace_ids: "VARCHAR[]",
      p_any_aws_account_ids: "VARCHAR[]",
      p_any_aws_instance_ids: "VARCHAR[]",
      p_any_aws_arns: "VARCHAR[]",
      p_any_aws_tags: "VARCHAR[]",
      p_any_emails: "VARCHAR[]",
      p_any_usernames: "VARCHAR[]",
      p_any_actor_ids: "VARCHAR[]",
      p_any_mac_addresses: "VARCHAR[]",
      p_any_serial_numbers: "VARCHAR[]",
    });
  });

  it("keeps every value: integers beyond 2^53, JSON text, structs, lists, nulls and timestamps", async () => {
    const dir = outDir();
    const lines = readFileSync(join(data, "kinds.ndjson"), "utf8").trim().split("\n");
    await writeAll({ dir }, KINDS, records(KINDS, lines));
    const rows = await duck.rows(
      `select name, count, small, big, ratio, ok, strftime("at", '%Y-%m-%d %H:%M:%S.%f') as "at", extra, client, tags, hops,
              times, p_log_type, p_row_id, p_event_time, p_parse_time, p_source_id, p_any_ip_addresses,
              p_any_domain_names, p_any_usernames, p_any_emails
       from read_parquet('${dir}/**/*.parquet', hive_partitioning = false) order by name`,
    );
    expect(rows).toEqual([
      {
        name: "ana",
        count: 7,
        small: -3,
        big: "9007199254740993",
        ratio: 0.25,
        ok: true,
        at: "2026-03-01 10:00:00.123456",
        extra: '{"n":12345678901234567890,"s":"x","list":[1,2]}',
        client: { ip: "192.0.2.1", seen: "2026-03-01 10:00:00.5+00", port: 443 },
        tags: ["a", "b"],
        hops: [
          { host: "a.example.com", ms: 1.5 },
          { host: "b.example.com", ms: null },
        ],
        times: ["2026-03-01 10:00:01+00"],
        p_log_type: "Custom.Kinds",
        p_row_id: "383ffffacee70101",
        p_event_time: "2026-03-01 10:00:00.123456+00",
        p_parse_time: "2026-03-05 00:00:00+00",
        p_source_id: null,
        p_any_ip_addresses: ["192.0.2.1"],
        p_any_domain_names: ["a.example.com", "b.example.com"],
        p_any_usernames: ["ana"],
        p_any_emails: null,
      },
      {
        name: "bo",
        count: null,
        small: null,
        big: null,
        ratio: null,
        ok: false,
        at: "2026-03-01 23:59:59.999999",
        extra: null,
        // {} in the record: a struct whose fields are all null, not a null struct.
        client: { ip: null, seen: null, port: null },
        tags: null,
        hops: null,
        times: null,
        p_log_type: "Custom.Kinds",
        p_row_id: "383ffffacee70102",
        p_event_time: "2026-03-01 23:59:59.999999+00",
        p_parse_time: "2026-03-05 00:00:00+00",
        p_source_id: null,
        p_any_ip_addresses: null,
        p_any_domain_names: null,
        p_any_usernames: ["bo"],
        p_any_emails: null,
      },
      {
        name: "cy",
        count: -2147483648,
        small: null,
        big: "-9223372036854775808",
        ratio: -1e300,
        ok: null,
        at: "2026-03-02 00:00:00.000000",
        extra: '[true,"y"]',
        client: null,
        tags: null,
        hops: null,
        times: null,
        p_log_type: "Custom.Kinds",
        p_row_id: "383ffffacee70103",
        p_event_time: "2026-03-02 00:00:00+00",
        p_parse_time: "2026-03-05 00:00:00+00",
        p_source_id: null,
        p_any_ip_addresses: null,
        p_any_domain_names: null,
        p_any_usernames: ["cy"],
        p_any_emails: null,
      },
    ]);
  });

  it("stores timestamps as UTC nanoseconds (DuckDB reads them to the microsecond)", async () => {
    const dir = outDir();
    const lines = readFileSync(join(data, "kinds.ndjson"), "utf8").trim().split("\n");
    const sink = await writeAll({ dir }, KINDS, records(KINDS, lines.slice(0, 1)));
    const bytes = readFileSync(sink.written[0] as string);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const at = parquetMetadata(file).schema.find((e) => e.name === "at");
    expect(at?.logical_type).toEqual({ type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" });
    const rows = await parquetReadObjects({ file, columns: ["at", "p_event_time"], parsers: { timestampFromNanoseconds: (n: bigint) => n } as never });
    expect(rows).toEqual([{ at: 1772359200123456789n, p_event_time: 1772359200123456789n }]);
  });

  it("bounds row groups by size, so memory does not grow with the input", async () => {
    const dir = outDir();
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ at: "2026-01-01T00:00:00Z", n: i, pad: "x".repeat(100) }));
    const recs = records(SMALL, lines);
    const rowGroupBytes = 50_000;
    await writeAll({ dir, rowGroupBytes }, SMALL, recs);
    const meta = await duck.rows(`select row_group_id, any_value(row_group_num_rows) as n from parquet_metadata('${dir}/**/*.parquet') group by row_group_id order by row_group_id`);
    const perGroup = Math.ceil(rowGroupBytes / (recs[0] as string).length);
    expect(meta.length).toBe(Math.ceil(3000 / perGroup));
    expect(meta.every((m) => Number(m.n) <= perGroup)).toBe(true);
    expect(await duck.rows(`select count(*) as n, sum(n) as total from '${dir}/**/*.parquet'`)).toEqual([{ n: "3000", total: String((2999 * 3000) / 2) }]);
  });

  it("starts a new part when a file reaches its size limit", async () => {
    const dir = outDir();
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ at: "2026-01-01T00:00:00Z", n: i, pad: `${i}`.repeat(40) }));
    await writeAll({ dir, rowGroupBytes: 20_000, fileBytes: 30_000, runId: "r" }, SMALL, records(SMALL, lines));
    const files = tree(dir);
    expect(files.length).toBeGreaterThan(2);
    expect(files.every((f) => /^Custom\.Small\/dt=2026-01-01\/part-r-[0-9]{5}\.parquet$/.test(f))).toBe(true);
    expect(await duck.rows(`select count(*) as n, count(distinct n) as d from '${dir}/**/*.parquet'`)).toEqual([{ n: "2000", d: "2000" }]);
  });

  it("keeps a bounded number of files open across many days, losing no row", async () => {
    const dir = outDir();
    const lines = Array.from({ length: 160 }, (_, i) => JSON.stringify({ at: `2026-01-${String((i % 8) + 1).padStart(2, "0")}T12:00:00Z`, n: i }));
    await writeAll({ dir, rowGroupBytes: 1_000, bufferBytes: 3_000, maxOpenFiles: 2 }, SMALL, records(SMALL, lines));
    const days = await duck.rows(
      `select count(distinct dt) as days, count(*) as n, count(distinct n) as d from read_parquet('${dir}/**/*.parquet', hive_partitioning = true)`,
    );
    expect(days).toEqual([{ days: "8", n: "160", d: "160" }]);
    // Every row sits in its own day's partition.
    expect(await duck.rows(`select count(*) as wrong from read_parquet('${dir}/**/*.parquet', hive_partitioning = true) where strftime("at", '%Y-%m-%d') <> dt::varchar`)).toEqual([{ wrong: "0" }]);
  });

  it("finishes a day's file once the input has moved on to later days", async () => {
    const dir = outDir();
    const sink = new ParquetSink({ dir, types: [SMALL], rowGroupBytes: 500, runId: "d" });
    const day = (d: string): string[] => records(SMALL, Array.from({ length: 40 }, (_, i) => JSON.stringify({ at: `2026-01-0${d}T00:00:00Z`, n: i })));
    for (const r of [...day("1"), ...day("2")]) {
      sink.write(SMALL.name, r);
      await sink.flush();
    }
    // Before end(): day 1's one file is complete; day 2's is still being written.
    expect(tree(dir)).toEqual(["Custom.Small/dt=2026-01-01/part-d-00001.parquet", "Custom.Small/dt=2026-01-02/.part-d-00002.parquet.tmp"]);
    await sink.end();
    expect(await duck.rows(`select count(*) as n from '${dir}/**/*.parquet'`)).toEqual([{ n: "80" }]);
  });

  it("finishes a file once it holds its number of row groups", async () => {
    const dir = outDir();
    await writeAll({ dir, rowGroupBytes: 500, fileRowGroups: 3 }, SMALL, records(SMALL, Array.from({ length: 60 }, (_, i) => JSON.stringify({ at: "2026-01-01T00:00:00Z", n: i }))));
    const groups = await duck.rows(`select file_name, count(distinct row_group_id) as g from parquet_metadata('${dir}/**/*.parquet') group by file_name`);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.every((g) => Number(g.g) <= 3)).toBe(true);
    expect(await duck.rows(`select count(*) as n from '${dir}/**/*.parquet'`)).toEqual([{ n: "60" }]);
  });

  it("writes under a hidden temporary name until a file is complete, and abort removes it", async () => {
    const dir = outDir();
    const sink = new ParquetSink({ dir, types: [SMALL], rowGroupBytes: 1_000, runId: "t" });
    for (const r of records(SMALL, Array.from({ length: 50 }, (_, i) => JSON.stringify({ at: "2026-01-01T00:00:00Z", n: i })))) sink.write(SMALL.name, r);
    await sink.flush();
    expect(tree(dir)).toEqual(["Custom.Small/dt=2026-01-01/.part-t-00001.parquet.tmp"]);
    await sink.abort();
    expect(tree(dir)).toEqual([]);
  });

  it("refuses a record a column cannot hold and keeps the others", async () => {
    const dir = outDir();
    const sink = new ParquetSink({ dir, types: [SMALL] });
    const [early, fine] = records(SMALL, ['{"at":"1500-01-01T00:00:00Z","n":1}', '{"at":"2026-01-01T00:00:00Z","n":2}']) as [string, string];
    expect(sink.write(SMALL.name, early)).toEqual({ path: "at", message: "1500-01-01T00:00:00Z is outside the range of Parquet nanosecond timestamps (1677-09-21 to 2262-04-11)" });
    expect(sink.write(SMALL.name, fine)).toBeUndefined();
    expect(sink.write("Custom.Other", fine)).toEqual({ path: "", message: "no Parquet columns for log type Custom.Other" });
    await sink.end();
    expect(await duck.rows(`select n from '${dir}/**/*.parquet'`)).toEqual([{ n: 2 }]);
  });

  it("encodes lists of lists and null list entries", async () => {
    const dir = outDir();
    const t = logType({
      schema: "Custom.Lists",
      fields: [
        { name: "at", type: "timestamp", timeFormats: ["rfc3339"], isEventTime: true },
        { name: "grid", type: "array", element: { type: "array", element: { type: "int" } } },
        { name: "things", type: "array", element: { type: "object", fields: [{ name: "tags", type: "array", element: { type: "string" } }] } },
      ],
    });
    const lines = [
      '{"at":"2026-01-01T00:00:00Z","grid":[[1,2],[],[3]],"things":[{"tags":["a"]},{"tags":["b","c"]},{}]}',
      '{"at":"2026-01-01T00:00:01Z","grid":[[4]]}',
      '{"at":"2026-01-01T00:00:02Z","things":[{"tags":[]}],"grid":[[5,6,7]]}',
    ];
    const recs = records(t, lines);
    await writeAll({ dir }, t, recs);
    const rows = await duck.rows(`select grid, things from '${dir}/**/*.parquet' order by "at"`);
    // The engine drops empty arrays from records; the rest comes back as written.
    expect(rows).toEqual(
      recs.map((r) => {
        const o = JSON.parse(r) as { grid?: unknown; things?: Array<{ tags?: unknown }> };
        return { grid: o.grid ?? null, things: o.things?.map((x) => ({ tags: x.tags ?? null })) ?? null };
      }),
    );
  });

  it("cuts a refused record out of every column, lists included, so the rows around it stay aligned", async () => {
    const dir = outDir();
    const sink = new ParquetSink({ dir, types: [KINDS] });
    const [a, bad, b] = records(KINDS, [
      '{"name":"a","at":"2026-03-01T00:00:00Z","tags":["a1","a2"],"hops":[{"host":"h1"}]}',
      '{"name":"bad","at":"2026-03-01T00:00:00Z","tags":["x","y","z"],"hops":[{"host":"hx"},{"host":"hy"}],"times":["2026-01-01T00:00:00Z","1500-01-01T00:00:00Z"]}',
      '{"name":"b","at":"2026-03-01T00:00:00Z","tags":["b1"],"times":["2026-03-01T00:00:01Z"]}',
    ]) as [string, string, string];
    expect(sink.write(KINDS.name, a)).toBeUndefined();
    expect(sink.write(KINDS.name, bad)).toEqual({ path: "times", message: "1500-01-01T00:00:00Z is outside the range of Parquet nanosecond timestamps (1677-09-21 to 2262-04-11)" });
    expect(sink.write(KINDS.name, b)).toBeUndefined();
    await sink.end();
    expect(await duck.rows(`select name, tags, hops, times from '${dir}/**/*.parquet' order by name`)).toEqual([
      { name: "a", tags: ["a1", "a2"], hops: [{ host: "h1", ms: null }], times: null },
      { name: "b", tags: ["b1"], hops: null, times: ["2026-03-01 00:00:01+00"] },
    ]);
  });

  it("takes records as objects too", async () => {
    const dir = outDir();
    const sink = new ParquetSink({ dir, types: [SMALL] });
    expect(sink.writeRecord({ at: "2026-02-03T04:05:06Z", n: 5, p_log_type: "Custom.Small", p_row_id: "r1", p_event_time: "2026-02-03T04:05:06Z", p_parse_time: "2026-02-03T04:05:07Z" })).toBeUndefined();
    expect(sink.writeRecord({ n: 1 })).toEqual({ path: "p_log_type", message: "required field is missing" });
    await sink.end();
    expect(tree(dir)).toHaveLength(1);
    expect(await duck.rows(`select n, p_row_id, p_parse_time from '${dir}/**/*.parquet'`)).toEqual([{ n: 5, p_row_id: "r1", p_parse_time: "2026-02-03 04:05:07+00" }]);
  });
});
