/** The one escaping of input text for terminals lives in escape.ts; explain's name for it. */
export { escapeText as escapeForTerminal } from "./escape.js";
