/**
 * Every optional module of the engine (engine/optional.ts), loaded statically: for the library's
 * entry, the worker thread and the tools, which compile schemas synchronously from code that
 * cannot await `prepareFor`. The command line's `parse` does not import this.
 */
import "./native/index.js";
import "./parsers/index.js";
