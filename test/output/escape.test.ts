import { describe, expect, it } from "vitest";
import { escapeLines, escapeText } from "../../src/output/escape.js";

describe("escapeText", () => {
  it("turns an OSC title sequence and a screen clear into visible \\u escapes", () => {
    expect(escapeText("a\u001b]0;PWNED\u0007\u001b[2Jb")).toBe("a\\u001b]0;PWNED\\u0007\\u001b[2Jb");
  });

  it("escapes NUL, newline, tab, DEL and the C1 controls", () => {
    expect(escapeText("\u0000\n\t\u007f\u0085\u009b")).toBe("\\u0000\\u000a\\u0009\\u007f\\u0085\\u009b");
  });

  it("escapes bidi overrides, embeddings, isolates and marks", () => {
    expect(escapeText("evil\u202egpj.exe")).toBe("evil\\u202egpj.exe");
    expect(escapeText("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c")).toBe(
      "\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c",
    );
  });

  it("leaves printable text, accents, CJK and emoji alone and returns the same string", () => {
    const text = "Zoë 東京 🦊 ok ~ \\ \u00a0";
    expect(escapeText(text)).toBe(text);
  });

  it("escapeLines keeps the line breaks of a multi-line report and escapes within lines", () => {
    expect(escapeLines("one\u001b[31m\ntwo\r")).toBe("one\\u001b[31m\ntwo\\u000d");
  });
});

describe("escapeText on broken UTF-16", () => {
  it("escapes lone surrogate halves and keeps pairs", () => {
    expect(escapeText("a\ud800b\udc00c")).toBe("a\\ud800b\\udc00c");
    expect(escapeText("🦊")).toBe("🦊");
  });
});
