import type { FileSystemAdapter } from '../src/index.js';
// The production adapter, by relative path: @redivis-ts/node depends on this package, so it cannot be a dependency.
import { nodeFileSystem } from '../../node/src/node-fs.js';

/** The Node file-system adapter with relative paths resolved from `cwd`. */
export function testFileSystem(cwd: string): FileSystemAdapter {
  return nodeFileSystem({ cwd });
}
