import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Write `text` to `path` so that a reader sees either the old file or the new one, never half of it: the bytes go
 * to a temporary sibling created with `mode`, are flushed to disk, then renamed over the target. The folder is
 * created with mode 0700 when missing.
 *
 * @internal
 */
export async function writeFileAtomic(path: string, text: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomUUID()}.tmp`;
  try {
    // `wx` with the final mode: the secret is never readable by others, not even for a moment.
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // An umask may have narrowed the mode further, never widened it; make it exact.
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
