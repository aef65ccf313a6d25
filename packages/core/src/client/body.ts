import type { ZodType } from 'zod';
import { formatPath, ResponseValidationError, type ValidationIssue } from '../errors/index.js';

/** Context a validation error records. */
export interface ValidationContext {
  /** HTTP method. */
  method?: string;
  /** Request URL, secrets removed. */
  url?: string;
  /** Secrets to strip from messages. */
  secrets?: readonly (string | undefined)[];
}

/**
 * Parses a success body as JSON: empty text and the literal `OK` (what the API sends for empty successes) become
 * `undefined`.
 *
 * @param text - The body text.
 * @param context - For the error.
 * @throws ResponseValidationError when the text is not JSON.
 */
export function parseJsonBody(text: string, context: ValidationContext = {}): unknown {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'OK') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch (cause) {
    throw new ResponseValidationError({
      description: 'The response body is not valid JSON',
      code: 'invalid_response',
      issues: [{ message: 'Invalid JSON', path: [], code: 'invalid_json' }],
      cause,
      ...context,
    });
  }
}

/**
 * Validates `data` with a zod schema.
 *
 * @param data - Parsed JSON.
 * @param schema - The expected shape.
 * @param context - For the error.
 * @param prefix - Keys prepended to every issue path (e.g. `['results', 3]` for one list item).
 * @returns The parsed (and possibly transformed) value.
 * @throws ResponseValidationError naming the first failing field.
 */
export function validate<T>(
  data: unknown,
  schema: ZodType<T>,
  context: ValidationContext = {},
  prefix: (string | number)[] = [],
): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    message: issue.message,
    path: [...prefix, ...issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k))],
    code: issue.code,
  }));
  throw validationError(issues, context);
}

/**
 * Builds the error for a response that does not have the expected shape.
 *
 * @param issues - The problems, first one named in the message.
 * @param context - Method, URL, secrets.
 */
export function validationError(
  issues: ValidationIssue[],
  context: ValidationContext = {},
): ResponseValidationError {
  const first = issues[0];
  const where = first ? formatPath(first.path) || '(root)' : '(root)';
  return new ResponseValidationError({
    description: `Unexpected response at ${where}: ${first?.message ?? 'invalid'}`,
    code: 'invalid_response',
    issues,
    ...context,
  });
}
