/** A resumable session that can be picked up again (by this process or, with a persistent store, a later one). */
export interface ResumeRecord {
  /** The temp upload the bytes go to (sent as `tempUploadId` once complete). */
  tempUploadId: string;
  /** The resumable session URL (`Location` of the initiation). */
  sessionUrl: string;
  /** Total bytes of the content. */
  size: number;
  /** When the session started (epoch ms); sessions expire after 24 hours. */
  createdAt: number;
}

/** Where resumable sessions are remembered, keyed by table, upload name and content identity. */
export interface ResumeStore {
  /** The record under `key`, if any. */
  get(key: string): Promise<ResumeRecord | undefined>;
  /** Remember `record` under `key`. */
  set(key: string, record: ResumeRecord): Promise<void>;
  /** Forget `key` (the upload completed or the session is gone). */
  delete(key: string): Promise<void>;
}

/** Sessions older than this are not resumed (the documented 24-hour expiry, less a margin). */
export const RESUME_MAX_AGE_MS = 23 * 60 * 60 * 1000;

/** A {@link ResumeStore} in memory: resumes within this process (the default). */
export function memoryResumeStore(): ResumeStore {
  const records = new Map<string, ResumeRecord>();
  return {
    get: async (key) => records.get(key),
    set: async (key, record) => {
      records.set(key, { ...record });
    },
    delete: async (key) => {
      records.delete(key);
    },
  };
}
