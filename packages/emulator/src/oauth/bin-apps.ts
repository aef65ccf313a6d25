import { parseArgs } from 'node:util';
import { type CliIO, openDataDirDb } from '../bin-io.js';
import { migrate } from '../store/migrations/index.js';
import { appRedirectUris, ensureOfficialClients, registerOAuthApp } from './apps.js';
import { listApps } from './store.js';

const USAGE = `Usage:
  redivis-emulator apps create --data-dir DIR --name NAME [--redirect-uri URI]... [--public] [--online-only]
  redivis-emulator apps list   --data-dir DIR`;

/**
 * `redivis-emulator apps …`: registers OAuth applications in a data directory's database (the emulator must not be
 * running on it: DuckDB lets one process open the file for writing). `create` prints the client id, then the
 * client secret (confidential apps only; shown once).
 */
export async function appsCommand(argv: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        name: { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        public: { type: 'boolean' },
        'online-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  }
  try {
    parsed = parse();
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const action = positionals[0];
  if (!values['data-dir'] || (action !== 'create' && action !== 'list') || positionals.length > 1) {
    io.err(USAGE);
    return 2;
  }
  if (action === 'create' && !values.name) {
    io.err(`apps create needs --name\n${USAGE}`);
    return 2;
  }
  const db = await openDataDirDb(values['data-dir'], io, 'or call registerOAuthApp');
  if (!db) return 1;
  const ctx = { db, now: () => Date.now() };
  try {
    await migrate(db);
    await ensureOfficialClients(ctx);
    if (action === 'create') {
      const app = await registerOAuthApp(ctx, {
        name: values.name as string,
        redirectUris: values['redirect-uri'] ?? [],
        public: values.public === true,
        offline: values['online-only'] !== true,
      });
      io.out(app.clientId);
      if (app.clientSecret !== undefined) io.out(app.clientSecret);
      io.err(
        `Registered "${app.name}" (${app.clientSecret === undefined ? 'public' : 'confidential'}` +
          `${app.offline ? ', offline access' : ''}).${app.clientSecret === undefined ? '' : ' The secret above is shown once.'}`,
      );
    } else {
      for (const app of await listApps(ctx)) {
        const kind = app.secret_hash === null ? 'public' : 'confidential';
        io.out(
          `${app.client_id}\t${app.name}\t${kind}\t${app.allow_offline ? 'offline' : 'online'}\t${appRedirectUris(app).join(' ')}`,
        );
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof TypeError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  } finally {
    await db.close();
  }
}
