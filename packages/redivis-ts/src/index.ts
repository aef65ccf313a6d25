/**
 * `redivis-ts`: the batteries-included Redivis client. In Node the token defaults to `REDIVIS_API_TOKEN`, the base
 * URL to `REDIVIS_API_ENDPOINT`, downloads write to the local file system and `deviceLogin()` signs in from a
 * terminal (credentials in a 0600 file, see `@redivis-ts/node`); browsers get the `browser` build, without any of it.
 *
 * @example
 * ```ts
 * import { createClient } from 'redivis-ts';
 * const redivis = createClient();
 * const rows = await redivis.table('demo.iris_species.iris').listRows({ maxResults: 5 });
 * ```
 *
 * @module
 */
import { createTransport } from '@redivis-ts/core';
import { createRedivis, type Redivis } from '@redivis-ts/resources';
import { nodePlatform } from '@redivis-ts/node';
import type { RedivisOptions } from './shared.js';

export * from './shared.js';
export {
  configDir,
  type DeviceLoginOptions,
  deviceLogin,
  type FileTokenStoreOptions,
  fileResumeStore,
  fileSource,
  fileTokenStore,
  nodeFileSystem,
  nodePlatform,
} from '@redivis-ts/node';

/** Create a Redivis client and return the object model (`organization()`, `dataset()`, `table()`, `query()` …). */
export function createClient(options: RedivisOptions = {}): Redivis {
  const { platform, ...clientOptions } = options;
  const env = process.env;
  const token =
    clientOptions.tokenProvider || clientOptions.apiToken ? {} : { apiToken: env.REDIVIS_API_TOKEN };
  const client = createTransport({ ...clientOptions, ...token });
  return createRedivis(client, nodePlatform(platform));
}
