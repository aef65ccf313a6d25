import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** This package's version, read from its package.json (next to `dist/` and `src/`). */
export function version(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}
