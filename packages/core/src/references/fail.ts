import { InvalidReferenceError } from '../errors/index.js';

const MAX_SHOWN = 120;

/**
 * Quotes user input for an error message, shortened so a huge string cannot flood a log line.
 *
 * @internal
 */
export function show(input: string): string {
  const cut = input.length > MAX_SHOWN ? `${input.slice(0, MAX_SHOWN)}…` : input;
  return JSON.stringify(cut);
}

/**
 * Throws the one error type the reference helpers are allowed to throw.
 *
 * @param what - What was being parsed, e.g. `table reference`.
 * @param input - The rejected string (kept on the error as `input`).
 * @param reason - Which part is wrong and why.
 * @internal
 */
export function fail(what: string, input: string, reason: string, cause?: unknown): never {
  throw new InvalidReferenceError({
    description: `Invalid ${what} ${show(input)}: ${reason}`,
    code: 'invalid_reference',
    input,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Rejects non-string input from untyped callers with an {@link InvalidReferenceError} instead of a `TypeError`.
 *
 * @internal
 */
export function requireString(what: string, input: unknown): string {
  if (typeof input !== 'string') {
    throw new InvalidReferenceError({
      description: `Invalid ${what}: expected a string, got ${input === null ? 'null' : typeof input}`,
      code: 'invalid_reference',
    });
  }
  return input;
}
