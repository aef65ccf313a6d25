import type { Platform } from '@redivis-ts/resources';
import { nodeFileSystem } from './node-fs.js';
import { openUrl } from './open-url.js';
import { fileResumeStore } from './resume-store.js';
import { fileTokenStore } from './token-store.js';

/**
 * Everything Node provides to the object model: the local file system (downloads), `process.env` (the
 * `REDIVIS_DEFAULT_*` conventions), the 0600 token file, resumable-upload sessions on disk, and a browser opener
 * for sign-in.
 *
 * @param overrides - Members to replace.
 */
export function nodePlatform(overrides: Platform = {}): Platform {
  return {
    fs: nodeFileSystem(),
    env: process.env,
    tokenStore: fileTokenStore(),
    resumeStore: fileResumeStore(),
    openUrl: async (url) => {
      await openUrl(url);
    },
    ...overrides,
  };
}
