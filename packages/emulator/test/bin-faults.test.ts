import { describe, expect, it } from 'vitest';
import { runCli } from '../src/bin.js';
import { capture } from './helpers/cli.js';

describe('redivis-emulator fault flags', () => {
  it('--fault rules apply to every matching request; --faults alone only honours the header', async () => {
    const { io } = capture();
    const result = await runCli(
      ['--seed', 'none', '--fault', '{"route":"GET /users/me","status":503,"times":1}'],
      io,
    );
    if (!('emulator' in result)) throw new Error('expected a running emulator');
    try {
      const url = result.emulator.url;
      expect((await fetch(`${url}/users/me`)).status).toBe(503);
      expect((await fetch(`${url}/users/me`)).status).toBe(401);
      const armed = await fetch(`${url}/users/me`, {
        headers: { 'X-Redivis-Emulator-Fault': '{"status":429}' },
      });
      expect(armed.status).toBe(429);
    } finally {
      await result.emulator.stop();
    }
  });

  it('a malformed --fault is a usage error (exit 2) naming the flag', async () => {
    const bad = capture();
    expect(await runCli(['--seed', 'none', '--fault', '{nope'], bad.io)).toEqual({ exitCode: 2 });
    expect(bad.err.join('\n')).toMatch(/--fault must be a JSON fault rule/);
    const wrong = capture();
    expect(await runCli(['--seed', 'none', '--fault', '{"status":200}'], wrong.io)).toEqual({ exitCode: 2 });
    expect(wrong.err.join('\n')).toMatch(/faults\.rules\[0\]: status/);
  });
});
