/**
 * Writing a test file from sample events (`hexlog infer --tests`): one test per event, its input
 * as written and its current record as the expectation (a YAML mapping, without the fields the
 * comparison ignores), or `error:` with the current message when the event fails.
 */
import { Document, Scalar } from "yaml";
import type { LosslessValue } from "../../engine/lossless-json.js";
import { layoutJson } from "../../output/json-layout.js";
import { expectationOf } from "./compare.js";
import { yamlRecord } from "./test-update.js";

export interface SampleOutcome {
  /** The test's name, e.g. `samples.ndjson line 3`. */
  name: string;
  logType: string;
  /** The event's raw text. */
  input: string;
  /** The record (absent when the event failed). */
  record?: LosslessValue;
  /** The failure message (path: message) when it failed. */
  error?: string;
}

/** The test documents, separated by `---`, ending with a newline. */
export function testDocuments(samples: readonly SampleOutcome[]): string {
  return samples.map(testDocument).join("---\n");
}

function testDocument(s: SampleOutcome): string {
  const doc = new Document({ name: s.name, logType: s.logType }, { version: "1.2" });
  const input = new Scalar(s.input.endsWith("\n") ? s.input : `${s.input}\n`);
  input.type = Scalar.BLOCK_LITERAL;
  doc.set("input", input);
  if (s.record !== undefined) doc.set("result", yamlRecord(`${layoutJson(expectationOf(s.record))}`));
  else if (s.error !== undefined) doc.set("error", s.error);
  else doc.set("results", doc.createNode([]));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
