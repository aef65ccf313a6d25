import { once } from 'node:events';
import { createCommand, parseCount } from '../../core/create-command.js';

export default createCommand({
  path: ['emulator', 'start'],
  summary: 'run a local Redivis API (the emulator) until Ctrl-C',
  description:
    'Start @redivis-ts/emulator: a local Redivis API on DuckDB, with the demo organization seeded by default. ' +
    'Prints its URL and the API tokens it accepts; point other commands at it with --endpoint and --token.',
  options: [
    {
      flags: '--port <n>',
      description: 'TCP port (0 picks a free one)',
      default: '0',
      parse: parseCount('--port'),
    },
    { flags: '--host <host>', description: 'interface to bind', default: '127.0.0.1' },
    {
      flags: '--data-dir <dir>',
      description: 'keep the DuckDB file here (default: a temp dir removed on exit)',
    },
    { flags: '--seed <seed>', description: 'demo data or none', choices: ['demo', 'none'], default: 'demo' },
    {
      flags: '--seed-rows <n>',
      description: 'rows of demo.weather_sample.daily_observations',
      parse: parseCount('--seed-rows'),
    },
  ],
  examples: [
    'redivis emulator start --port 8080 --token dev   # also accept the token "dev"',
    'redivis --endpoint http://127.0.0.1:8080/api/v1 --token dev datasets list demo',
  ],
  async handler(_args, options, ctx) {
    const { startEmulator } = await import('@redivis-ts/emulator');
    const emulator = await startEmulator({
      port: Number(options.port ?? 0),
      host: String(options.host),
      seed: options.seed as 'demo' | 'none',
      ...(options.dataDir ? { dataDir: String(options.dataDir) } : {}),
      ...(options.seedRows !== undefined ? { seedRows: Number(options.seedRows) } : {}),
      // The global --token names a token the emulator should accept too (as demo_admin, every scope).
      ...(ctx.globals.token ? { token: ctx.globals.token } : {}),
    });
    try {
      if (ctx.globals.json) {
        ctx.out.json({
          url: emulator.url,
          tokens: emulator.tokens.map((t) => ({ user: t.userName, name: t.name, value: t.value })),
        });
      } else {
        ctx.out.line(`Redivis emulator listening on ${emulator.url}`);
        for (const t of emulator.tokens) ctx.out.line(`API token for ${t.userName} (${t.name}): ${t.value}`);
        ctx.out.status(ctx.out.errColor.dim('Press Ctrl-C to stop.'));
      }
      if (!ctx.signal.aborted) await once(ctx.signal, 'abort');
    } finally {
      await emulator.stop();
    }
    ctx.out.status('Emulator stopped.');
  },
});
