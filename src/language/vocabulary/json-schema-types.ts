/** A fragment of JSON Schema (draft 7), as the vocabulary writes them. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Keywords hexlog adds to the JSON Schema: the rule id of a check, and the text shown on failure. */
export const RULE_KEYWORD = "x-hexlog-rule";
export const MESSAGE_KEYWORD = "errorMessage";
/** What each value of an `enum` means, shown by editors when completing it (VS Code's keyword). */
export const ENUM_DOCS_KEYWORD = "enumDescriptions";

/** A reference to a definition of the generated JSON Schema. */
export function ref(name: string): JsonSchema {
  return { $ref: `#/definitions/${name}` };
}
