/**
 * `hexlog test --update`: rewrites the expected records of some test cases in a test file through
 * the yaml library's Document API, so the rest of each document (comments, key order, other
 * keys) survives. Documents that need no change keep their exact source text.
 *
 * A record is written in the form the test already uses: JSON text (pantherlog's `result: |`) or
 * a YAML mapping; a test with no expectation yet gets YAML mappings (easier to read and edit).
 */
import { type Document, isCollection, isMap, isScalar, isSeq, type Node, parseAllDocuments, parseDocument, Scalar, visit, type YAMLSeq } from "yaml";

/** New expectations for one document: each record as JSON text. */
export interface ExpectationUpdate {
  doc: number;
  records: string[];
}

export function rewriteExpectations(text: string, updates: readonly ExpectationUpdate[]): string {
  const parsed = parseAllDocuments(text, { version: "1.2", uniqueKeys: true });
  if (!Array.isArray(parsed)) return text;
  const docs: Document[] = parsed;
  const byDoc = new Map(updates.map((u) => [u.doc, u.records]));
  let out = "";
  let from = 0;
  docs.forEach((doc, i) => {
    // A document's own text runs from the end of the one before it (so it owns its `---` and
    // leading comments) to the end of its last node; the final one takes the rest of the file.
    const end = i === docs.length - 1 ? text.length : (doc.range?.[2] ?? text.length);
    const records = byDoc.get(i);
    if (records === undefined) {
      out += text.slice(from, end);
    } else {
      setExpectations(doc, records);
      const own = text.slice(from, end);
      let rendered = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
      // doc.toString ends with one newline; keep the blank lines that separated this document from the next.
      const trailing = /\n*$/.exec(own)?.[0] ?? "";
      rendered = rendered.replace(/\n*$/, trailing.length > 0 ? trailing : "");
      out += rendered;
    }
    from = end;
  });
  return out;
}

/**
 * Puts the records in place of `result` / `results`, reusing existing scalar nodes (and with them
 * their comments) where the shape allows.
 */
function setExpectations(doc: Document, records: readonly string[]): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  const form = expectationForm(doc);
  const hasResult = root.has("result");
  const results = root.get("results", true);
  if (hasResult && records.length >= 1 && (records.length === 1 || isSeq(results))) {
    setRecord(doc, "result", records[0] as string, form);
    if (isSeq(results)) fillSeq(doc, results, records.slice(1), form);
    return;
  }
  if (hasResult) root.delete("result");
  if (!hasResult && records.length === 1 && !isSeq(results)) {
    setRecord(doc, "result", records[0] as string, form);
    return;
  }
  if (isSeq(results)) {
    fillSeq(doc, results, records, form);
  } else {
    const seq = doc.createNode([]) as YAMLSeq;
    fillSeq(doc, seq, records, form);
    root.set("results", seq);
  }
}

type Form = "json" | "yaml";

/** JSON text when the test writes its expectations so (pantherlog's form), else YAML mappings. */
function expectationForm(doc: Document): Form {
  const root = doc.contents;
  if (!isMap(root)) return "yaml";
  const nodes: unknown[] = [root.get("result", true)];
  const results = root.get("results", true);
  if (isSeq(results)) nodes.push(...results.items);
  for (const n of nodes) {
    if (isMap(n)) return "yaml";
    if (isScalar(n) && typeof n.value === "string") return "json";
  }
  return "yaml";
}

function setRecord(doc: Document, key: string, text: string, form: Form): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  const node = root.get(key, true);
  if (form === "yaml") {
    // The key's own comment (on the old value) moves to the new one.
    const comment = isScalar(node) || isCollection(node) ? node.commentBefore : undefined;
    const mapping = yamlRecord(text);
    if (comment) mapping.commentBefore = comment;
    root.set(key, mapping);
  } else if (isScalar(node)) {
    node.value = text;
    node.type = Scalar.BLOCK_LITERAL;
  } else {
    root.set(key, literal(doc, text));
  }
}

function fillSeq(doc: Document, seq: YAMLSeq, records: readonly string[], form: Form): void {
  seq.items.length = Math.min(seq.items.length, records.length);
  records.forEach((text, i) => {
    const item = seq.items[i];
    if (form === "yaml") {
      seq.items[i] = yamlRecord(text);
    } else if (isScalar(item)) {
      item.value = text;
      item.type = Scalar.BLOCK_LITERAL;
    } else {
      seq.items[i] = literal(doc, text);
    }
  });
  // `results: []` reads better than an empty block list.
  seq.flow = records.length === 0;
}

function literal(doc: Document, text: string): Scalar {
  const node = doc.createNode(text) as Scalar;
  node.type = Scalar.BLOCK_LITERAL;
  return node;
}

/**
 * A record (JSON text) as a block YAML mapping. JSON is YAML, so the yaml reader builds the
 * nodes; integers stay exact as bigints, and strings lose the JSON quotes unless YAML needs them.
 */
export function yamlRecord(json: string): Node {
  const parsed = parseDocument(json, { version: "1.2", intAsBigInt: true });
  visit(parsed, {
    Collection(_, node) {
      // `{}`, `[]` and `[a, b]` read better than blocks; mappings nest as blocks.
      node.flow = node.items.length === 0 || (isSeq(node) && node.items.every(isScalar));
    },
    Scalar(_, node) {
      if (typeof node.value === "string") delete node.type;
    },
  });
  const contents = parsed.contents;
  if (isCollection(contents)) return contents;
  return contents ?? new Scalar(null);
}
