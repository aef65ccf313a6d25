// Run as a child process by restart.test.ts: upload one file through a resumable temp upload, remembering the
// session in an on-disk resume store, and print the temp upload id when done.
import { createTransport } from '@redivis-ts/core';
import { sendToTempUpload } from '@redivis-ts/upload';
import { fileResumeStore, fileSource } from '../src/index.js';

const [baseUrl, path, storeDir] = process.argv.slice(2) as [string, string, string];
const source = await fileSource(path);
const id = await sendToTempUpload(
  createTransport({ baseUrl, apiToken: 't' }),
  source,
  source.size as number,
  {
    parentUri: '/tables/x',
    name: 'f',
    resumable: true,
    store: fileResumeStore({ dir: storeDir }),
    key: `${baseUrl}|${source.identity}`,
    chunkSize: 256 * 1024,
    maxChunkRetries: 10,
  },
);
process.stdout.write(`${id}\n`);
