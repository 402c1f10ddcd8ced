/**
 * The parsers a schema may name under `parser:`: the options each accepts (with their JSON
 * Schema) and the ones it needs. The text parsers share the options of Panther's text
 * pipeline. The engine compiles each text parser under the same name (engine/parsers/index.ts,
 * a `Record<TextParserName, …>`); the checker (check-parser.ts) reads its key lists from here.
 */
import { MESSAGE_KEYWORD, ref, RULE_KEYWORD, type JsonSchema } from "./json-schema-types.js";

/** Options every text parser accepts. */
export const COMMON_TEXT_OPTIONS = {
  skipPrefix: { description: "Lines starting with this text are skipped, e.g. '#'.", ...ref("nonEmptyString") },
  emptyValues: { description: "Values read as null, e.g. '-'.", ...ref("strings") },
  trimSpace: { description: "Trim whitespace around each value.", type: "boolean" },
  expandFields: ref("expandFields"),
} as const satisfies Record<string, JsonSchema>;

export interface ParserEntry {
  readonly description: string;
  /** Reads lines of text (else JSON values). */
  readonly text: boolean;
  /** Its own options, before the common ones of text parsers. */
  readonly options: Readonly<Record<string, JsonSchema>>;
  readonly required: readonly string[];
}

/** What a parser lacking `match` is told (checker and JSON Schema). */
export const MISSING_MATCH = { rule: "missing-match", message: "the parser needs match: a list of patterns" } as const;

export const PARSER_VOCABULARY = {
  fastmatch: {
    description: "Match each line against patterns with %{name} placeholders (the first pattern that matches wins).",
    text: true,
    required: ["match"],
    options: { match: { description: "Patterns, tried in order, e.g. '%{ip} - %{user} [%{time}] \"%{request}\"'.", ...ref("nonEmptyStrings") } },
  },
  regex: {
    description: "Match each line against a regular expression with named groups (?P<name>…) or %{PATTERN:name} placeholders.",
    text: true,
    required: ["match"],
    options: {
      match: { description: "Parts of one pattern, joined without separator.", ...ref("nonEmptyStrings") },
      patternDefinitions: {
        description: "Named patterns usable as %{NAME} or %{NAME:field}.",
        type: "object",
        propertyNames: {
          pattern: "^[A-Z][A-Z0-9_]*$",
          [MESSAGE_KEYWORD]: "a pattern name has only upper-case letters, digits and _, starting with a letter",
          [RULE_KEYWORD]: "invalid-regex",
        },
        additionalProperties: { type: "string" },
      },
    },
  },
  csv: {
    description: "Split each line into columns.",
    text: true,
    required: [],
    options: {
      delimiter: {
        description: "The column separator, one character: ',', '\\t' or ' ' (Panther accepts only these).",
        type: "string",
        minLength: 1,
        maxLength: 1,
        [MESSAGE_KEYWORD]: "the delimiter is one character, e.g. ',' or '\\t'",
        [RULE_KEYWORD]: "csv-conflict",
      },
      hasHeader: { description: "The first line names the columns.", type: "boolean" },
      columns: { description: "Column names in order; an empty name skips that column.", type: "array", minItems: 1, items: { type: "string" } },
    },
  },
  native: {
    description: "A parser built into Panther (managed log types); hexlog reads the input as JSON.",
    text: false,
    required: ["name"],
    options: { name: { description: "The Panther parser's name, e.g. AWS.CloudTrail.", ...ref("nonEmptyString") } },
  },
} as const satisfies Record<string, ParserEntry>;

export type ParserName = keyof typeof PARSER_VOCABULARY;
export type TextParserName = { [K in ParserName]: (typeof PARSER_VOCABULARY)[K]["text"] extends true ? K : never }[ParserName];

export const PARSER_NAMES = Object.keys(PARSER_VOCABULARY) as readonly ParserName[];

export function isTextParserName(name: string): name is TextParserName {
  return Object.hasOwn(PARSER_VOCABULARY, name) && PARSER_VOCABULARY[name as ParserName].text;
}

/** Every option a parser accepts, its own first. */
export function parserOptions(name: ParserName): Record<string, JsonSchema> {
  const entry: ParserEntry = PARSER_VOCABULARY[name];
  return entry.text ? { ...entry.options, ...COMMON_TEXT_OPTIONS } : { ...entry.options };
}
