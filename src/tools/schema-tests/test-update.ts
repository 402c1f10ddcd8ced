/**
 * `hexlog test --update`: rewrites the expected records of some test cases in a test file through
 * the yaml library's Document API, so the rest of each document (comments, key order, other
 * keys) survives. Documents that need no change keep their exact source text.
 */
import { type Document, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type YAMLSeq } from "yaml";

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
      let rendered = doc.toString({ lineWidth: 0 });
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
  const hasResult = root.has("result");
  const results = root.get("results", true);
  if (hasResult && records.length >= 1 && (records.length === 1 || isSeq(results))) {
    setScalar(doc, "result", records[0] as string);
    if (isSeq(results)) fillSeq(doc, results, records.slice(1));
    return;
  }
  if (hasResult) root.delete("result");
  if (!hasResult && records.length === 1 && !isSeq(results)) {
    setScalar(doc, "result", records[0] as string);
    return;
  }
  if (isSeq(results)) {
    fillSeq(doc, results, records);
  } else {
    const seq = doc.createNode([]) as YAMLSeq;
    fillSeq(doc, seq, records);
    root.set("results", seq);
  }
}

function setScalar(doc: Document, key: string, text: string): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  const node = root.get(key, true);
  if (isScalar(node)) {
    node.value = text;
    node.type = Scalar.BLOCK_LITERAL;
  } else {
    root.set(key, literal(doc, text));
  }
}

function fillSeq(doc: Document, seq: YAMLSeq, records: readonly string[]): void {
  seq.items.length = Math.min(seq.items.length, records.length);
  records.forEach((text, i) => {
    const item = seq.items[i];
    if (isScalar(item)) {
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
