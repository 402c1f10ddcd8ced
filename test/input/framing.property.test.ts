/** Properties of JSON framing over generated inputs: valid events mixed with garbage lines. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonFramer, type FramedEvent } from "../../src/input/framing.js";
import { frame } from "./frame.js";

type Item = { kind: "event"; value: Record<string, unknown>; pretty: boolean } | { kind: "garbage"; text: string };

/** Characters that drive the framer's states (brackets, strings, escapes, separators). */
const jsonish = fc.constantFrom("{", "}", "[", "]", '"', "\\", ",", ":", " ", "\t", "\r", "a", "1", "-", "null", "true", "é", "😀", "\u0000");
const garbageLine = fc.oneof(
  fc.array(jsonish, { maxLength: 12 }).map((parts) => parts.join("")),
  fc.string({ unit: "grapheme", maxLength: 20 }),
).map((text) => text.replace(/\n/g, ""));

const item: fc.Arbitrary<Item> = fc.oneof(
  fc.record({
    kind: fc.constant("event" as const),
    value: fc.dictionary(fc.string({ unit: "grapheme", maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    pretty: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("garbage" as const), text: garbageLine }),
);

/** The input text, and the start line and JSON text of every valid event. */
function render(items: Item[]): { input: string; events: Array<{ line: number; json: string }> } {
  const lines: string[] = [];
  const events: Array<{ line: number; json: string }> = [];
  for (const it of items) {
    if (it.kind === "garbage") {
      lines.push(it.text);
      continue;
    }
    events.push({ line: lines.length + 1, json: JSON.stringify(it.value) });
    lines.push(...JSON.stringify(it.value, null, it.pretty ? 2 : undefined).split("\n"));
  }
  return { input: `${lines.join("\n")}\n`, events };
}

const cutsIn = (length: number) => fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 8 }).map((c) => c.sort((a, b) => a - b));

describe("JSON framing properties", () => {
  it("never merges or drops a valid event, whatever garbage surrounds it", () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), fc.integer({ min: 1, max: 64 }), (items, chunkBytes) => {
        const { input, events } = render(items);
        const framed = frame(input, { chunkBytes });
        for (const ev of events) {
          const at = framed.filter((f) => f.line === ev.line);
          expect(at).toHaveLength(1);
          expect(at[0]?.error).toBeUndefined();
          expect(JSON.stringify(at[0]?.value)).toBe(ev.json);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("frames the same events however the bytes are cut into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 10 }).chain((items) => {
          const bytes = Buffer.byteLength(render(items).input);
          return fc.tuple(fc.constant(items), cutsIn(bytes));
        }),
        ([items, cuts]) => {
          const { input } = render(items);
          expect(frame(input, { cuts })).toEqual(frame(input));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("frames the rest of an input the same with a fresh framer wherever the running one is at a boundary", () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 10 }), fc.nat(), (items, pick) => {
        const { input } = render(items);
        const lines = input.split("\n");
        const k = pick % lines.length;
        const head = lines.slice(0, k).map((l) => `${l}\n`).join("");
        const running = new JsonFramer({ maxEventBytes: 1 << 20 });
        const out: FramedEvent[] = [];
        running.push(Buffer.from(head), out);
        fc.pre(running.atBoundary());
        const fresh = new JsonFramer({ maxEventBytes: 1 << 20, firstLine: k + 1 });
        fresh.push(Buffer.from(input.slice(head.length)), out);
        fresh.end(out);
        expect(out).toEqual(frame(input));
      }),
      { numRuns: 300 },
    );
  });
});
