import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT_DIR } from '../../typedoc.base.mjs';

/**
 * The npm name of a package folder under packages/.
 *
 * @param folder - e.g. `core`.
 * @returns e.g. `@redivis-ts/core`.
 */
export function readPackageName(folder: string): string {
  return JSON.parse(readFileSync(join(ROOT_DIR, 'packages', folder, 'package.json'), 'utf8')).name;
}
