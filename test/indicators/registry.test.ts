import { describe, expect, it } from "vitest";
import { INDICATORS, indicatorNames, redundantIndicator } from "../../src/engine/indicators/index.js";
import { INDICATOR_KINDS, P_ANY, P_ANY_FIELDS } from "../../src/engine/indicators/fields.js";
import { RecordingSink, scan } from "./recorder.js";

/** The names SPEC §3 and Panther's docs require; the registry may hold more. */
const REQUIRED_NAMES = [
  "ip",
  "domain",
  "hostname",
  "url",
  "net_addr",
  "md5",
  "sha1",
  "sha256",
  "trace_id",
  "aws_arn",
  "aws_arn_only",
  "aws_account_id",
  "aws_instance_id",
  "aws_tag",
  "email",
  "username",
  "actor_id",
  "mac",
  "serial_number",
];

describe("indicator registry", () => {
  it("includes every indicator name the spec requires", () => {
    expect(indicatorNames()).toEqual(expect.arrayContaining(REQUIRED_NAMES));
  });

  it("gives every p_any field at least one indicator name that fills it", () => {
    const filled = new Set([...INDICATORS.values()].flatMap((s) => s.fields));
    const unfilled = P_ANY.filter((_, i) => !filled.has(i)).map((p) => p.field);
    expect(unfilled).toEqual([]);
  });

  it("has a distinct field name and kind name for every p_any entry, kinds named after indicators", () => {
    expect(new Set(P_ANY_FIELDS).size).toBe(P_ANY.length);
    expect(new Set(INDICATOR_KINDS).size).toBe(P_ANY.length);
    for (const p of P_ANY) expect(p.field).toMatch(/^p_any_[a-z0-9_]+s$/);
    // A kind is what --indicators shows: it names an indicator a schema can list.
    for (const kind of INDICATOR_KINDS) expect(INDICATORS.has(kind)).toBe(true);
  });

  it("declares only valid p_any fields, each at most once", () => {
    for (const scanner of INDICATORS.values()) {
      expect(scanner.fields.length).toBeGreaterThan(0);
      expect(new Set(scanner.fields).size).toBe(scanner.fields.length);
      for (const f of scanner.fields) expect(P_ANY_FIELDS[f]).toBeDefined();
    }
  });

  const awkward = [
    "",
    " ",
    "\u0000",
    "::",
    ":",
    "[",
    "]:",
    "[]:",
    "xn--",
    "http://",
    "http://[",
    "arn:",
    "arn:::::",
    "@",
    "\ud800",
    "x".repeat(10_000),
    "a:".repeat(1_000),
    "1.2.3.4",
    "http://xn--zz-zz.example/",
  ];

  it("never throws, adds no empty strings and writes only to its declared fields", () => {
    for (const scanner of INDICATORS.values()) {
      for (const value of awkward) {
        const sink = new RecordingSink();
        expect(() => scanner.scan(value, sink)).not.toThrow();
        for (const [field, found] of sink.found) {
          expect(found).not.toBe("");
          expect(scanner.fields.map((f) => P_ANY_FIELDS[f])).toContain(field);
        }
      }
    }
  });

  it("leaves out an indicator only where another on the same value finds all it finds", () => {
    const names = indicatorNames();
    const pairs = names.flatMap((a) => names.filter((b) => b !== a && redundantIndicator(a, [a, b])).map((b) => [a, b] as const));
    expect(pairs).toEqual([["ip", "hostname"]]);
    expect(redundantIndicator("ip", ["ip"])).toBe(false);
    expect(redundantIndicator("hostname", ["ip", "hostname"])).toBe(false);
    const values = [...awkward, "10.0.0.1", " 10.0.0.1 ", "010.0.0.1", "256.1.1.1", "2001:db8::1", "::ffff:1.2.3.4", "fe80::1%eth0", "example.com", "1.2.3.4.5"];
    for (const [a, b] of pairs) {
      for (const value of values) {
        const found = new Set(scan(INDICATORS.get(b)!, value).map((f) => f.join("\u0000")));
        for (const f of scan(INDICATORS.get(a)!, value)) expect(found.has(f.join("\u0000")), `${a} on ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });
});
