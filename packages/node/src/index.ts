/**
 * `@redivis-ts/node`: what redivis-ts needs from Node and nothing a browser could use — the credentials file
 * (0600, atomic writes, `REDIVIS_CONFIG_DIR`), a device-flow sign-in for terminals, the file system behind the
 * download methods (temporary files, MD5, resume) and, for uploads, local files as upload sources and a resume
 * store on disk.
 *
 * @example
 * ```ts
 * import { createRedivis } from '@redivis-ts/resources';
 * import { createTransport } from '@redivis-ts/core';
 * import { deviceLogin, nodePlatform } from '@redivis-ts/node';
 *
 * const client = createTransport({ tokenProvider: deviceLogin({ oauthOrigin: 'https://redivis.com' }) });
 * const redivis = createRedivis(client, nodePlatform());
 * await (await redivis.table('demo.iris_species.iris').toDirectory()).download({ path: 'out' });
 * ```
 *
 * @packageDocumentation
 */
export { configDir } from './config-dir.js';
export {
  DEFAULT_LOGIN_SCOPES,
  type DeviceLoginOptions,
  deviceLogin,
  REDIVIS_DEVICE_CLIENT_ID,
} from './device-login.js';
export { fileSource, listFilesRecursive } from './file-source.js';
export { md5File, type NodeFileSystemOptions, nodeFileSystem } from './node-fs.js';
export { openUrl } from './open-url.js';
export { PARQUET_ROW_GROUP_ROWS, type ParquetWriteOptions, writeParquet } from './parquet-writer.js';
export { nodePlatform } from './platform.js';
export { type FileResumeStoreOptions, fileResumeStore } from './resume-store.js';
export { type FileTokenStoreOptions, fileTokenStore } from './token-store.js';
export {
  type ArrowDataset,
  type ArrowDatasetFormat,
  type ArrowDatasetOptions,
  type ArrowDatasetSource,
  toArrowDataset,
} from './arrow-dataset.js';
