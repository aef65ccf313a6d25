import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResumeRecord, ResumeStore } from '@redivis-ts/upload';
import { writeFileAtomic } from './atomic-write.js';
import { configDir } from './config-dir.js';

/** Options of {@link fileResumeStore}. */
export interface FileResumeStoreOptions {
  /** Folder of the session files. @defaultValue `<configDir()>/uploads` */
  dir?: string;
  /** Environment for {@link configDir}. */
  env?: Record<string, string | undefined>;
}

function valid(value: unknown): value is ResumeRecord {
  const r = value as ResumeRecord;
  return (
    !!r &&
    typeof r.tempUploadId === 'string' &&
    typeof r.sessionUrl === 'string' &&
    Number.isSafeInteger(r.size) &&
    typeof r.createdAt === 'number'
  );
}

/**
 * A {@link ResumeStore} on disk: one 0600 JSON file per session, named by a hash of the key (table, upload name and
 * the file's identity), written atomically. A process killed mid-upload finds its session here on the next run
 * and continues at the server's committed offset.
 *
 * @param options - Where the files live.
 */
export function fileResumeStore(options: FileResumeStoreOptions = {}): ResumeStore {
  const dir = options.dir ?? join(configDir(options.env), 'uploads');
  const fileOf = (key: string) =>
    join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
  return {
    async get(key) {
      const text = await readFile(fileOf(key), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        return valid(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, record) {
      await writeFileAtomic(fileOf(key), JSON.stringify(record));
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}
