import { expect } from 'vitest';
import type { z } from 'zod';

/** Asserts `value` fails `schema` and returns the first issue's path, dotted, e.g. `owner.kind`. */
export function failingPath(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return result.error!.issues[0]!.path.join('.');
}
