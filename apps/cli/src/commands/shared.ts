import { UsageError } from '../core/errors.js';

/** Whether an SDK error is a 404 (checked by name, so this module loads nothing). */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'NotFoundError';
}

/** The access levels a dataset can be made public at. */
export const ACCESS_LEVELS = ['none', 'overview', 'metadata', 'sample', 'data'] as const;

/** Read all of stdin as text (for `query` without an argument). */
export async function readStdin(stdin: AsyncIterable<unknown> & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) throw new UsageError('No SQL given', 'pass it as an argument, with --file, or on stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Ask a yes/no question on the terminal; false when stdin is not a terminal. */
export async function confirm(
  io: { stdin: NodeJS.ReadableStream & { isTTY?: boolean }; stderr: { write(s: string): unknown } },
  question: string,
): Promise<boolean> {
  if (!io.stdin.isTTY) return false;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
