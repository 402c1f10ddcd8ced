import { expect } from "vitest";
import {
  compileTimeFormat,
  TimeFailure,
  TimeFormatError,
  type TimeContext,
  type TimeFormat,
} from "../../src/engine/time/index.js";

/** "Now" for tests: 2024-06-15T12:00:00Z. */
export const NOW: TimeContext = { nowSec: Date.UTC(2024, 5, 15, 12) / 1000 };

export function compile(spec: string): TimeFormat {
  const format = compileTimeFormat(spec);
  if (format instanceof TimeFormatError) throw new Error(format.message);
  return format;
}

/** Parses a string value with `spec`, expecting success. */
export function parse(spec: string, value: string, ctx: TimeContext = NOW): string {
  const result = compile(spec).fromString(value, ctx);
  if (result instanceof TimeFailure) throw new Error(result.message);
  return result;
}

/** Parses a JSON number literal with `spec`, expecting success. */
export function parseNumber(spec: string, literal: string, ctx: TimeContext = NOW): string {
  const format = compile(spec);
  if (format.fromNumber === undefined) throw new Error(`${spec} does not accept numbers`);
  const result = format.fromNumber(literal, ctx);
  if (result instanceof TimeFailure) throw new Error(result.message);
  return result;
}

/** Parses a string value with `spec`, expecting a failure; returns its message. */
export function failure(spec: string, value: string, ctx: TimeContext = NOW): string {
  const result = compile(spec).fromString(value, ctx);
  expect(result, `${JSON.stringify(value)} should not parse with ${spec}`).toBeInstanceOf(TimeFailure);
  const message = (result as TimeFailure).message;
  expect(message).not.toContain("\n");
  return message;
}

/** Parses a number literal with `spec`, expecting a failure; returns its message. */
export function numberFailure(spec: string, literal: string, ctx: TimeContext = NOW): string {
  const result = compile(spec).fromNumber!(literal, ctx);
  expect(result, `${literal} should not parse with ${spec}`).toBeInstanceOf(TimeFailure);
  return (result as TimeFailure).message;
}

/** The message of a format that must not compile. */
export function compileError(spec: string): string {
  const result = compileTimeFormat(spec);
  expect(result, `${JSON.stringify(spec)} should not compile`).toBeInstanceOf(TimeFormatError);
  return (result as TimeFormatError).message;
}
