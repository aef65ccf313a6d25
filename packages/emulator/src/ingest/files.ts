import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

// Upload bytes live under the data dir in files named only by server-made ids (lowercase base-36), never by
// anything a client sent, so no request can name a path.
const ID = /^[a-z0-9_-]{1,64}$/;

function checked(id: string): string {
  if (!ID.test(id)) throw new Error(`Invalid upload file id: ${id}`);
  return id;
}

/** Directory of upload data files waiting to be processed (and their converted NDJSON). */
export function uploadsDir(dataDir: string): string {
  return join(dataDir, 'uploads');
}

/** Directory of temp-upload bytes (`POST {table}/tempUploads`). */
export function tempUploadsDir(dataDir: string): string {
  return join(dataDir, 'temp-uploads');
}

/** The data file of an upload. */
export function uploadFile(dataDir: string, name: string): string {
  return join(uploadsDir(dataDir), checked(name));
}

/** The byte file of a temp upload; its length is the number of bytes received. */
export function tempUploadFile(dataDir: string, tempUploadId: string): string {
  return join(tempUploadsDir(dataDir), checked(tempUploadId));
}

/** Directory of raw-file bytes added from temp uploads (`raw_files.on_disk`). */
export function rawFilesDir(dataDir: string): string {
  return join(dataDir, 'raw-files');
}

/** The bytes of a raw file kept on disk, named by its server-made id. */
export function rawFilePath(dataDir: string, fileId: string): string {
  return join(rawFilesDir(dataDir), checked(fileId));
}

/** Creates the upload, temp-upload and raw-file directories (idempotent). */
export async function ensureUploadDirs(dataDir: string): Promise<void> {
  await mkdir(uploadsDir(dataDir), { recursive: true });
  await mkdir(tempUploadsDir(dataDir), { recursive: true });
  await mkdir(rawFilesDir(dataDir), { recursive: true });
}

/** Removes a file, ignoring one that is already gone. */
export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
