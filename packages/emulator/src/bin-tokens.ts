import { parseArgs } from 'node:util';
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiTokenInfo,
  type TokenStoreContext,
  updateApiToken,
} from './auth/tokens.js';
import { type CliIO, openDataDirDb } from './bin-io.js';
import { ApiError } from './http/errors.js';
import { migrate } from './store/migrations/index.js';

const USAGE = `Usage:
  redivis-emulator tokens create --data-dir DIR --user NAME --name TOKEN_NAME [--scopes a,b,...]
  redivis-emulator tokens list   --data-dir DIR [--user NAME] [--all]
  redivis-emulator tokens update ID --data-dir DIR [--name TOKEN_NAME] [--scopes a,b,...]
  redivis-emulator tokens revoke ID --data-dir DIR`;

function describe(t: ApiTokenInfo): string {
  const status = t.revokedAt === null ? 'active' : 'revoked';
  return `${t.id}\t${t.userName}\t${t.name}\t${t.scopes.join(' ')}\t${status}`;
}

function scopesOf(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(/[,\s]+/).filter(Boolean);
}

/**
 * `redivis-emulator tokens …`: manages API tokens directly in a data directory's database (the emulator must not be
 * running on it: DuckDB lets one process open a database file for writing).
 */
export async function tokensCommand(argv: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        user: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        all: { type: 'boolean' },
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
  const [action, id] = positionals;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values['data-dir'] || !action || !['create', 'list', 'update', 'revoke'].includes(action)) {
    io.err(USAGE);
    return 2;
  }
  if ((action === 'update' || action === 'revoke') && !id) {
    io.err(`tokens ${action} needs the token id (see "tokens list")\n${USAGE}`);
    return 2;
  }
  if (action === 'create' && (!values.user || !values.name)) {
    io.err(`tokens create needs --user and --name\n${USAGE}`);
    return 2;
  }
  const db = await openDataDirDb(values['data-dir'], io, 'or use its /settings/tokens page');
  if (!db) return 1;
  const ctx: TokenStoreContext = { db, now: () => Date.now() };
  try {
    await migrate(db);
    switch (action) {
      case 'create': {
        const { token, value } = await createApiToken(ctx, {
          userName: values.user as string,
          name: values.name as string,
          scopes: scopesOf(values.scopes) ?? ['public'],
        });
        io.out(value);
        io.err(
          `Created token ${token.id} for ${token.userName} (${token.scopes.join(' ')}). The value above is shown once.`,
        );
        break;
      }
      case 'list': {
        const filter: { userName?: string; includeRevoked?: boolean } = {
          includeRevoked: values.all === true,
        };
        if (values.user !== undefined) filter.userName = values.user;
        for (const t of await listApiTokens(ctx, filter)) io.out(describe(t));
        break;
      }
      case 'update': {
        const patch: { name?: string; scopes?: string[] } = {};
        if (values.name !== undefined) patch.name = values.name;
        const scopes = scopesOf(values.scopes);
        if (scopes !== undefined) patch.scopes = scopes;
        io.out(describe(await updateApiToken(ctx, id as string, patch)));
        break;
      }
      case 'revoke':
        io.out(describe(await revokeApiToken(ctx, id as string)));
        break;
    }
    return 0;
  } catch (e) {
    if (e instanceof ApiError) {
      io.err(e.description);
      return 1;
    }
    throw e;
  } finally {
    await db.close();
  }
}
