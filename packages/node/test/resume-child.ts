// Run as a child process by restart.test.ts: upload one file through a resumable temp upload of the emulator,
// remembering the session in an on-disk resume store, and print the temp upload id when done.
import { createTransport } from '@redivis-ts/core';
import { sendToTempUpload } from '@redivis-ts/upload';
import { fileResumeStore, fileSource } from '../src/index.js';

const [baseUrl, tableUri, path, storeDir] = process.argv.slice(2) as [string, string, string, string];
const source = await fileSource(path);
const client = createTransport({ baseUrl, apiToken: 'rdv_demo_admin_token' });
const id = await sendToTempUpload(client, source, source.size as number, {
  parentUri: tableUri,
  name: 'f',
  resumable: true,
  store: fileResumeStore({ dir: storeDir }),
  key: `${baseUrl}|${tableUri}|${source.identity}`,
  chunkSize: 256 * 1024,
  maxChunkRetries: 10,
});
process.stdout.write(`${id}\n`);
