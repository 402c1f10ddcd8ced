/** Names in the language: what a log type name looks like (Panther's rule, any number of segments). */

/** Hex.Audit, Custom.My.App: dot-separated segments of letters and digits, each starting upper-case. */
export const LOG_TYPE_NAME = /^[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)*$/;

export const LOG_TYPE_NAME_RULE = "a log type name is dot-separated segments of letters and digits, each starting with an upper-case letter, e.g. Custom.MyApp";

/** The key of a definition: one segment (Panther's rule). */
export const DEFINITION_NAME = /^[A-Z][A-Za-z0-9]*$/;

export const DEFINITION_NAME_RULE = "a definition name starts with an upper-case letter and has only letters and digits";
