import type { CallOptions, RedivisTransport, TempUpload } from '@redivis-ts/core';
import { ResumableUploadError } from './errors.js';
import type { ResumableOptions } from './resumable.js';
import { queryCommitted, SessionGoneError, sendResumable, startResumableSession } from './resumable.js';
import type { ResumeStore } from './resume-store.js';
import { RESUME_MAX_AGE_MS } from './resume-store.js';
import type { UploadSource } from './source.js';
import { createTempUploads } from './temp-uploads.js';

/** What {@link sendToTempUpload} needs. */
export interface TempSendOptions extends ResumableOptions {
  /** `/tables/…` or `/notebookJobs/{id}`. */
  parentUri: string;
  /** Slot name (none for notebook jobs). */
  name?: string | undefined;
  /** Use the resumable protocol. */
  resumable: boolean;
  /** Where sessions are remembered; `key` undefined → not remembered. */
  /** Where sessions are remembered. */
  store: ResumeStore;
  /** The session's key in `store`; `undefined` → not remembered. */
  key: string | undefined;
}

/**
 * Bytes of `source` into a temp upload; returns its id. Resumable slots first look for a remembered session of the
 * same content (same key) and continue at the server's committed offset; a gone or expired session starts over.
 * Simple slots are one `PUT` of the whole body (retried by core, since the bytes can be sent again).
 */
export async function sendToTempUpload(
  client: RedivisTransport,
  source: UploadSource,
  size: number,
  options: TempSendOptions,
): Promise<string> {
  const { parentUri, name, resumable, store, key, ...rest } = options;
  const call: CallOptions = {
    ...(rest.signal ? { signal: rest.signal } : {}),
    ...(rest.headers ? { headers: rest.headers } : {}),
    ...(rest.retry !== undefined ? { retry: rest.retry } : {}),
  };
  if (resumable && key) {
    const record = await store.get(key);
    if (record && record.size === size && Date.now() - record.createdAt < RESUME_MAX_AGE_MS) {
      try {
        const committed = await queryCommitted(client, record.sessionUrl, size, call);
        rest.onCommitted?.(committed);
        await sendResumable(client, record.sessionUrl, source, size, committed, rest);
        await store.delete(key);
        return record.tempUploadId;
      } catch (error) {
        if (!(error instanceof SessionGoneError)) throw error;
        await store.delete(key);
      }
    }
  }
  const [slot] = await createTempUploads(
    client,
    parentUri,
    [{ size, ...(name ? { name } : {}), resumable }],
    call,
  );
  if (!slot) throw new ResumableUploadError('createTempUploads returned no slot.', 0);
  await sendToSlot(client, { ...slot, resumable }, source, size, { ...rest, store, key });
  return slot.id;
}

/**
 * Bytes of `source` into an existing temp-upload slot: one `PUT` for simple slots (and empty content), else a
 * resumable session remembered under `key` until it completes.
 *
 * @param client - The core client.
 * @param slot - From {@link createTempUploads}.
 * @param source - The bytes.
 * @param size - Exact size.
 * @param options - Chunking, retries, progress, and where to remember the session.
 */
export async function sendToSlot(
  client: RedivisTransport,
  slot: TempUpload,
  source: UploadSource,
  size: number,
  options: ResumableOptions & { store?: ResumeStore; key?: string | undefined },
): Promise<void> {
  const { store, key, ...rest } = options;
  const call: CallOptions = {
    ...(rest.signal ? { signal: rest.signal } : {}),
    ...(rest.headers ? { headers: rest.headers } : {}),
    ...(rest.retry !== undefined ? { retry: rest.retry } : {}),
  };
  if (!slot.resumable || size === 0) {
    const body = await source.read(0, size);
    await client.request({ ...call, method: 'PUT', path: slot.url, body });
    rest.onCommitted?.(size);
    return;
  }
  const sessionUrl = await startResumableSession(client, slot.url, size, call);
  if (key && store) await store.set(key, { tempUploadId: slot.id, sessionUrl, size, createdAt: Date.now() });
  await sendResumable(client, sessionUrl, source, size, 0, rest);
  if (key && store) await store.delete(key);
}
