import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildBin, runBin } from './helpers/bin.js';

const TRACER = fileURLToPath(new URL('./fixtures/trace-imports.mjs', import.meta.url));
const HEAVY = /apache-arrow|@duckdb|@redivis-ts\/emulator|packages\/emulator\/|parquet-wasm|\/zod\/|\/ky\//;

let emu: RunningEmulator;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  buildBin();
  emu = await startEmulator({ seed: 'demo', seedRows: 200_000, rateLimit: false });
  dir = await mkdtemp(join(tmpdir(), 'redivis-cli-bin-'));
  env = { REDIVIS_API_ENDPOINT: emu.url, REDIVIS_API_TOKEN: 'rdv_demo_admin_token' };
}, 600_000);
afterAll(async () => {
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function traced(args: string[]): Promise<string[]> {
  const file = join(dir, `trace-${args.join('-').replace(/\W/g, '')}.txt`);
  const result = await runBin(args, { nodeArgs: ['--import', TRACER], env: { ...env, TRACE_FILE: file } });
  expect(result.code).toBe(0);
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
}

describe('redivis (built bin)', () => {
  it('starts without loading Arrow, DuckDB, the emulator, zod or ky for --version and --help', async () => {
    for (const args of [['--version'], ['--help'], ['read', '--help']]) {
      const modules = await traced(args);
      expect(modules.filter((url) => HEAVY.test(url))).toEqual([]);
      // --version answers before the parser loads; help needs commander.
      expect(modules.some((url) => url.includes('commander'))).toBe(args[0] !== '--version');
    }
    // The same trace sees the heavy modules once a command needs them, so the check above can fail.
    const reading = await traced(['tables', 'head', 'demo.iris_species.iris', '-n', '1']);
    expect(reading.some((url) => url.includes('apache-arrow'))).toBe(true);
  });

  it('prints its version and exits 0', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await runBin(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints parseable JSON only on stdout with --json, and CSV when piped', async () => {
    const json = await runBin(['--json', 'tables', 'list', 'demo.iris_species'], { env });
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect((JSON.parse(json.stdout) as Array<{ name: string }>).map((t) => t.name)).toContain('iris');
    const csv = await runBin(['read', 'demo.iris_species.iris'], { env });
    expect(csv.stdout.split('\n')[0]).toBe('sepal_length,sepal_width,petal_length,petal_width,species');
    expect(csv.stdout.trimEnd().split('\n')).toHaveLength(151);
  });

  it('exits with the documented codes: usage 2, auth 3, not found 4', async () => {
    expect((await runBin(['read'], { env })).code).toBe(2);
    expect(
      (await runBin(['datasets', 'list', 'demo'], { env: { ...env, REDIVIS_API_TOKEN: 'nope' } })).code,
    ).toBe(3);
    const missing = await runBin(['datasets', 'show', 'demo.missing'], { env });
    expect(missing.code).toBe(4);
    expect(missing.stderr.split('\n')[0]).toMatch(/^error: .*not found/i);
  });

  it('stops quietly when the reader of its output goes away (| head)', async () => {
    const child = spawn(
      'sh',
      ['-c', `"${process.execPath}" "${BIN}" read demo.weather_sample.daily_observations | head -n 2`],
      {
        env: { ...process.env, ...env },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(out.split('\n').filter(Boolean)).toHaveLength(2);
    expect(err).toBe('');
  });

  it('leaves no partial file when interrupted with SIGINT in the middle of a read', async () => {
    const out = join(dir, 'big.csv');
    const child = spawn(
      process.execPath,
      [BIN, 'read', 'demo.weather_sample.daily_observations', '--out', out],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const closed = new Promise((resolve) => child.on('close', (c) => resolve(c)));
    // Interrupt once the temporary file exists, i.e. mid-read (or the read already ended). Not after a fixed number
    // of polls: on a loaded machine those could run out before node installed its SIGINT handler, and the signal
    // then killed the process outright (exit code null).
    while (
      child.exitCode === null &&
      child.signalCode === null &&
      !(await readdir(dir)).some((name) => name.startsWith('.big.csv.'))
    ) {
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGINT');
    const code = await closed;
    const left = (await readdir(dir)).filter((name) => name.includes('big.csv'));
    if (code === 0) {
      // The read finished before the signal landed: then the file must be whole.
      expect(left).toEqual(['big.csv']);
    } else {
      expect(code).toBe(130);
      expect(stderr).toContain('error: Interrupted');
      expect(left).toEqual([]);
    }
  });
});

describe('redivis on a terminal (pseudo-terminal via util-linux script)', () => {
  it('draws a progress bar on stderr while reading, then clears it and restores the cursor', async () => {
    const out = join(dir, 'tty.csv');
    const command = `"${process.execPath}" "${BIN}" read demo.weather_sample.daily_observations --out "${out}"`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, ...env, TERM: 'xterm', COLUMNS: '100' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(screen).toContain('\u001b[?25l');
    expect(screen).toMatch(/Reading → .*tty\.csv .*rows\/s/);
    expect(screen).toMatch(/█|░/);
    // Cleared and the cursor shown again before the final line.
    const shown = screen.lastIndexOf('\u001b[?25h');
    expect(shown).toBeGreaterThan(screen.lastIndexOf('rows/s'));
    const after = screen.slice(shown).replace(/\u001b(\[[0-9;?]*[A-Za-z]|[78])/g, '');
    expect(after).toContain('✓ Wrote 200,000 rows to');
  });

  it('draws nothing but the result when piped', async () => {
    const result = await runBin(['read', 'demo.iris_species.iris', '--out', join(dir, 'piped.csv')], { env });
    expect(result.stderr).toBe(`✓ Wrote 150 rows to ${join(dir, 'piped.csv')} (csv)\n`);
  });
});
