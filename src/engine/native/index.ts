/**
 * The native parser registry: `parser: native: {name: X}` selects the module that emulates
 * Panther's built-in parser X. One module per log type (or family); to add one, write it and list
 * it in NATIVE_PARSERS. Names not listed are read as JSON schemas with keys matched
 * case-insensitively (as Panther's JSON decoder does) and a warning; a name Panther reads as text
 * that hexlog does not emulate (UNEMULATED_TEXT) matches no event, so it never wins
 * classification by accepting any object.
 */
import type { CompiledSchema } from "../compile.js";
import { LineFailure, type CompiledTextParser } from "../parsers/index.js";
import type { LogSchema, SchemaIssue } from "../../language/types.js";
import { alb } from "./aws-alb.js";
import { cloudTrail } from "./aws-cloudtrail.js";
import { s3ServerAccess } from "./aws-s3-access.js";
import { vpcDns } from "./aws-vpcdns.js";
import { vpcFlow } from "./aws-vpcflow.js";
import { gcpAuditLog } from "./gcp-auditlog.js";
import { matchKeys } from "./keys.js";
import { osquery } from "./osquery.js";
import type { NativeBehaviour, NativeParser } from "./types.js";
import { provideModule } from "../optional.js";

export type { NativeBehaviour, NativeParser } from "./types.js";

export const NATIVE_PARSERS: readonly NativeParser[] = [cloudTrail, vpcDns, alb, s3ServerAccess, vpcFlow, gcpAuditLog, osquery];

const BY_NAME: ReadonlyMap<string, NativeParser> = new Map(NATIVE_PARSERS.flatMap((p) => p.names.map((n) => [n, p] as const)));

/**
 * Panther log types whose native parser reads text lines (not JSON) and that hexlog does not
 * emulate. Write a fastmatch, regex or csv schema for these.
 */
export const UNEMULATED_TEXT: readonly string[] = [
  "Apache.AccessCombined",
  "Apache.AccessCommon",
  "AWS.AuroraMySQLAudit",
  "CiscoUmbrella.CloudFirewall",
  "CiscoUmbrella.DNS",
  "CiscoUmbrella.IP",
  "CiscoUmbrella.Proxy",
  "Juniper.Access",
  "Juniper.Audit",
  "Juniper.Firewall",
  "Juniper.MWS",
  "Juniper.Postgres",
  "Juniper.Security",
  "Nginx.Access",
  "Salesforce.Login",
  "Salesforce.LoginAs",
  "Salesforce.Logout",
  "Salesforce.URI",
  "Syslog.RFC3164",
  "Syslog.RFC5424",
];
const TEXT: ReadonlySet<string> = new Set(UNEMULATED_TEXT);

export interface CompiledNative {
  behaviour: NativeBehaviour;
  text?: CompiledTextParser | undefined;
  /** Warnings for validate-schema and the commands that load schemas. */
  issues: SchemaIssue[];
}

const PATH = ["parser", "native"];

/** The native behaviour of a schema that names a native parser. */
export function compileNative(name: string, schema: LogSchema, compiled: CompiledSchema): CompiledNative {
  const parser = BY_NAME.get(name);
  if (parser) {
    const built = parser.build(schema, compiled);
    return { behaviour: built.behaviour, text: built.text, issues: [] };
  }
  if (TEXT.has(name)) {
    const unsupported = `${name} is a text format whose Panther parser hexlog does not emulate; no event matches this log type (write a fastmatch, regex or csv schema for it)`;
    // Lines of it fail with the reason (a run of this type alone reads lines, see EventProcessor.lineBased).
    const parser = { eager: false, parse: () => new LineFailure(unsupported, 0), capture: () => ({ kind: "fail" as const, message: unsupported }) };
    return {
      behaviour: { name, unsupported },
      text: { kind: "native", wholeStream: false, open: () => parser },
      issues: [{ path: PATH, rule: "native-parser", severity: "warning", message: `parser.native (${unsupported})` }],
    };
  }
  return {
    behaviour: { name, prepare: (event, inPlace) => matchKeys(event, compiled.shape, inPlace) },
    issues: [
      {
        path: PATH,
        rule: "native-parser",
        severity: "warning",
        message: `parser.native (${name}) names a parser built into Panther that hexlog does not emulate; it reads this schema as JSON, keys matched case-insensitively as Panther's decoder does`,
      },
    ],
  };
}

/** Whether hexlog emulates the native parser of this name. */
export function isEmulated(name: string): boolean {
  return BY_NAME.has(name);
}

// Loaded on demand by the command line (engine/optional.ts): available once this module is.
provideModule("native", { compileNative });
