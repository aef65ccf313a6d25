import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createClient, fileTokenStore } from 'redivis-ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestCli, type TestCli } from '../../../apps/cli/test/helpers/run.js';
import { createApiToken } from '../../emulator/src/auth/tokens.js';

/**
 * Every token the suite issues is looked for in everything it captured: the emulator's and this process's console
 * output, the CLI's stdout and stderr with `--verbose`, and every error the SDK threw (message, JSON, inspect,
 * stack). None may appear, whole or as a prefix long enough to narrow a guess.
 */
let cli: TestCli;
const tokens: string[] = ['rdv_demo_admin_token', 'rdv_demo_alice_token', 'rdv_demo_bob_token'];
const captured: string[] = [];

beforeAll(async () => {
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 6 }))).join(' '));
      original(...args);
    });
  }
  cli = await startTestCli(50);
  for (const [user, scopes] of [
    ['alice', ['data.data']],
    ['bob', ['data.overview']],
    ['demo_admin', ['data.edit', 'organization.read']],
  ] as const) {
    tokens.push(
      (await createApiToken(cli.emu.ctx, { userName: user, name: `scan ${user}`, scopes: [...scopes] }))
        .value,
    );
  }
  // A well-formed token the emulator never issued: it must not leak from a 401 either.
  tokens.push(`rdv_${randomBytes(32).toString('base64url')}`);
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await cli?.stop();
});

function errorText(e: unknown): string {
  const err = e as Error;
  return [err.message, JSON.stringify(err), inspect(err, { depth: 8 }), err.stack].join('\n');
}

describe('token scan', () => {
  it('no issued token appears in logs, errors or the CLI --verbose output', async () => {
    const commands = [
      ['--verbose', 'datasets', 'list', 'demo'],
      ['--verbose', 'tables', 'show', 'demo.iris_species.iris'],
      ['--verbose', 'tables', 'head', 'demo.weather_sample.stations'],
      ['--verbose', 'tables', 'head', 'demo.restricted_survey.responses'],
      ['--verbose', 'tables', 'show', 'demo.nope.nope'],
      ['--verbose', 'query', 'SELECT count(*) FROM demo.iris_species.iris'],
      ['--verbose', 'query', 'SELECT * FROM demo.restricted_survey.responses'],
    ];
    let errors = 0;
    for (const token of tokens) {
      for (const argv of commands) {
        const r = await cli.run(argv, { env: { REDIVIS_API_TOKEN: token } });
        captured.push(r.stdout, r.stderr);
      }
      const redivis = createClient({ apiToken: token, baseUrl: cli.emu.url, retry: false });
      const attempts = [
        () => redivis.table('demo.restricted_survey.responses').listRows({ maxResults: 1 }),
        () => redivis.dataset('demo.does_not_exist').get(),
        () => redivis.dataset('demo.iris_species').update({ description: 'scan' }),
        () => redivis.query('SELECT * FROM nowhere.at.all').listRows(),
        () => redivis.organization('demo').listMembers(),
        () => redivis.request({ path: `/tables/x?access_token=${token}` }),
      ];
      for (const attempt of attempts) {
        await attempt().then(
          (value) => captured.push(inspect(value, { depth: 2 }).slice(0, 2000)),
          (e) => {
            errors++;
            captured.push(errorText(e));
          },
        );
      }
    }
    expect(errors).toBeGreaterThan(tokens.length * 3);
    const all = captured.join('\n');
    expect(all.length).toBeGreaterThan(10_000);
    for (const token of tokens) {
      expect(all.includes(token), `token ${token.slice(0, 6)}… leaked`).toBe(false);
      // A token issued with random bytes: no 16-character prefix of it either.
      if (!token.startsWith('rdv_demo_')) expect(all.includes(token.slice(0, 16))).toBe(false);
    }
  }, 300_000);

  it('token files are 0600 and written atomically: concurrent readers never see a partial file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redivis-token-file-'));
    try {
      const path = join(dir, 'credentials.json');
      const store = fileTokenStore({ path });
      const values = Array.from({ length: 40 }, (_, i) => ({
        accessToken: `${'a'.repeat(5000)}${i}`,
        refreshToken: `r${i}`,
        expiresAt: 1_900_000_000 + i,
      }));
      let reads = 0;
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const text = await readFile(path, 'utf8').catch(() => undefined);
          if (text !== undefined) {
            reads++;
            const parsed = JSON.parse(text);
            expect(values.map((v) => v.refreshToken)).toContain(
              parsed.refreshToken ?? parsed.credentials?.refreshToken,
            );
            expect((await stat(path)).mode & 0o777).toBe(0o600);
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await Promise.all(values.map((v) => store.set(v)));
      writing = false;
      await reader;
      expect(reads).toBeGreaterThan(0);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readdir(dir)).toEqual(['credentials.json']);
      expect(values).toContainEqual(await store.get());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
