import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { FileSystemAdapter } from '../src/index.js';

/** A small real file-system adapter for tests (redivis-ts ships the production one). */
export function testFileSystem(cwd: string): FileSystemAdapter {
  return {
    join: (...parts) => join(...parts),
    resolve: (path) => resolve(cwd, path),
    size: async (path) => {
      const info = await stat(path).catch(() => undefined);
      return info?.isFile() ? info.size : undefined;
    },
    isDirectory: async (path) => (await stat(path).catch(() => undefined))?.isDirectory() ?? false,
    mkdir: async (path) => {
      await mkdir(path, { recursive: true });
    },
    writeFile: async (path, data) => {
      await mkdir(dirname(path), { recursive: true });
      const bytes =
        data instanceof Uint8Array ? data : new Uint8Array(await new Response(data).arrayBuffer());
      await writeFile(`${path}.part`, bytes);
      await rename(`${path}.part`, path);
    },
    md5: async (path) =>
      createHash('md5')
        .update(await readFile(path))
        .digest('base64'),
  };
}
