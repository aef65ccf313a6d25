import { describe, expect, it } from 'vitest';
import { runCli } from '../src/bin.js';
import { capture } from './helpers/cli.js';

const ADMIN = { Authorization: 'Bearer rdv_demo_admin_token', 'Content-Type': 'application/json' };

describe('redivis-emulator size limit flags', () => {
  it('--upload-max-bytes, --upload-body-limit-bytes and --json-body-limit-bytes set the limits (413 past them)', async () => {
    const { io } = capture();
    const result = await runCli(
      [
        '--seed',
        'demo',
        '--seed-rows',
        '5',
        '--upload-max-bytes',
        '1000',
        '--upload-body-limit-bytes',
        '3000',
        '--json-body-limit-bytes',
        '2000',
      ],
      io,
    );
    if (!('emulator' in result)) throw new Error('expected a running emulator');
    const url = result.emulator.url;
    try {
      expect(result.emulator.ctx.options.uploads.maxBytes).toBe(1000);
      const created = await fetch(`${url}/datasets/demo.iris_species/versions`, {
        method: 'POST',
        headers: ADMIN,
        body: '{}',
      });
      expect(created.status).toBe(201);
      const temp = (size: number) =>
        fetch(`${url}/tables/demo.iris_species:next.iris/tempUploads`, {
          method: 'POST',
          headers: ADMIN,
          body: JSON.stringify({ tempUploads: [{ size, name: 'x.csv' }] }),
        });
      expect((await temp(1000)).status).toBe(201);
      const over = await temp(1001);
      expect(over.status).toBe(413);
      expect((await over.json()).error_description).toMatch(/limit of 1000 bytes/);
      const bigJson = await fetch(`${url}/datasets/demo.iris_species`, {
        method: 'PATCH',
        headers: ADMIN,
        body: JSON.stringify({ description: 'x'.repeat(2500) }),
      });
      expect(bigJson.status).toBe(413);
      const simple = (bytes: number) =>
        fetch(`${url}/tables/demo.iris_species:next.iris/uploads?name=s.csv&type=delimited`, {
          method: 'POST',
          headers: { Authorization: ADMIN.Authorization, 'Content-Type': 'text/csv' },
          body: `a\n${'1\n'.repeat(bytes / 2)}`,
        });
      expect((await simple(3500)).status).toBe(413);
      expect((await simple(2500)).status).toBe(201);
    } finally {
      await result.emulator.stop();
    }
  });

  it('refuses non-numeric or zero limits as usage errors (exit 2)', async () => {
    for (const args of [
      ['--upload-max-bytes', 'lots'],
      ['--upload-max-bytes', '0'],
      ['--json-body-limit-bytes', '0'],
      ['--upload-body-limit-bytes', '-5'],
    ]) {
      const bad = capture();
      expect(await runCli(['--seed', 'none', ...args], bad.io), args.join(' ')).toEqual({ exitCode: 2 });
      expect(bad.err.join('\n')).toMatch(/Usage: redivis-emulator/);
    }
  });
});
