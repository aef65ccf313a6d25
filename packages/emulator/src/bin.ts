#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type CliIO, processIO } from './bin-io.js';
import { tokensCommand } from './bin-tokens.js';
import type { FaultOptions, FaultRule } from './faults/options.js';
import { appsCommand } from './oauth/bin-apps.js';
import { type RunningEmulator, startEmulator } from './server.js';

const USAGE = `Usage: redivis-emulator [--port N] [--host H] [--data-dir DIR] [--seed demo|none] [--seed-rows N] [--token VALUE]
                        [--rate-limit off|N] [--oauth-rotate-refresh-tokens] [--faults] [--fault RULE_JSON]...
                        [--query-time-limit-ms MS] [--query-output-limit-bytes BYTES]
                        [--upload-max-bytes BYTES] [--upload-body-limit-bytes BYTES] [--json-body-limit-bytes BYTES]
       redivis-emulator tokens create|list|update|revoke --data-dir DIR …
       redivis-emulator apps create|list --data-dir DIR …

Starts a local Redivis API server. Prints one line "Redivis emulator listening on <url>", then the API tokens it
accepts (one per line), and runs until SIGINT/SIGTERM.`;

/** What {@link runCli} produced: an exit code, or a running emulator (serve mode). */
export type CliResult = { exitCode: number } | { emulator: RunningEmulator };

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new RangeError(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** `{[key]: value}` when the value was given, else nothing to spread. */
function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** `--rate-limit off` turns the limit off; `--rate-limit N` allows N requests per token per minute. */
function rateLimitOption(value: string | undefined): { limit: number } | false | undefined {
  if (value === undefined) return undefined;
  if (value === 'off') return false;
  const limit = /^\d+$/.test(value) ? Number(value) : 0;
  if (!limit) throw new RangeError(`--rate-limit must be "off" or a positive integer, got "${value}"`);
  return { limit };
}

/** `--faults` turns fault injection on; each `--fault` adds a rule (JSON) and implies it. */
function faultOptions(enabled: boolean, rules: readonly string[]): FaultOptions | undefined {
  if (!enabled && rules.length === 0) return undefined;
  return {
    enabled: true,
    rules: rules.map((text) => {
      try {
        return JSON.parse(text) as FaultRule;
      } catch {
        throw new RangeError(`--fault must be a JSON fault rule, got "${text}"`);
      }
    }),
  };
}

/**
 * Runs the CLI in-process: `tokens …` subcommands return an exit code; otherwise the emulator starts and is
 * returned (the caller stops it). Never calls `process.exit`.
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<CliResult> {
  if (argv[0] === 'tokens') return { exitCode: await tokensCommand(argv.slice(1), io) };
  if (argv[0] === 'apps') return { exitCode: await appsCommand(argv.slice(1), io) };
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        seed: { type: 'string' },
        'seed-rows': { type: 'string' },
        token: { type: 'string' },
        'rate-limit': { type: 'string' },
        'oauth-rotate-refresh-tokens': { type: 'boolean' },
        faults: { type: 'boolean' },
        fault: { type: 'string', multiple: true },
        'query-time-limit-ms': { type: 'string' },
        'query-output-limit-bytes': { type: 'string' },
        'upload-max-bytes': { type: 'string' },
        'upload-body-limit-bytes': { type: 'string' },
        'json-body-limit-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return { exitCode: 2 };
  }
  if (values.help) {
    io.out(USAGE);
    return { exitCode: 0 };
  }
  let emulator: RunningEmulator;
  try {
    const seed = values.seed as string | undefined;
    if (seed !== undefined && seed !== 'demo' && seed !== 'none')
      throw new RangeError('--seed must be demo or none');
    const port = intOption(values.port as string | undefined, 'port');
    const seedRows = intOption(values['seed-rows'] as string | undefined, 'seed-rows');
    const rateLimit = rateLimitOption(values['rate-limit'] as string | undefined);
    const faults = faultOptions(values.faults === true, (values.fault as string[] | undefined) ?? []);
    const queryTimeLimitMs = intOption(
      values['query-time-limit-ms'] as string | undefined,
      'query-time-limit-ms',
    );
    const queryOutputLimitBytes = intOption(
      values['query-output-limit-bytes'] as string | undefined,
      'query-output-limit-bytes',
    );
    const uploadMaxBytes = intOption(values['upload-max-bytes'] as string | undefined, 'upload-max-bytes');
    const bodyLimits = {
      ...optional(
        'upload',
        intOption(values['upload-body-limit-bytes'] as string | undefined, 'upload-body-limit-bytes'),
      ),
      ...optional(
        'json',
        intOption(values['json-body-limit-bytes'] as string | undefined, 'json-body-limit-bytes'),
      ),
    };
    emulator = await startEmulator({
      ...(port === undefined ? {} : { port }),
      ...(values.host === undefined ? {} : { host: values.host as string }),
      ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] as string }),
      ...(seed === undefined ? {} : { seed }),
      ...(seedRows === undefined ? {} : { seedRows }),
      ...(values.token === undefined ? {} : { token: values.token as string }),
      ...(rateLimit === undefined ? {} : { rateLimit }),
      ...(values['oauth-rotate-refresh-tokens'] ? { oauth: { rotateRefreshTokens: true } } : {}),
      ...(faults === undefined ? {} : { faults }),
      ...(queryTimeLimitMs === undefined ? {} : { queryTimeLimitMs }),
      ...(queryOutputLimitBytes === undefined ? {} : { queryOutputLimitBytes }),
      ...(uploadMaxBytes === undefined ? {} : { uploads: { maxBytes: uploadMaxBytes } }),
      ...(Object.keys(bodyLimits).length ? { bodyLimits } : {}),
    });
  } catch (e) {
    io.err(
      e instanceof RangeError
        ? `${e.message}\n${USAGE}`
        : `Cannot start the emulator: ${(e as Error).message}`,
    );
    return { exitCode: e instanceof RangeError ? 2 : 1 };
  }
  io.out(`Redivis emulator listening on ${emulator.url}`);
  for (const t of emulator.tokens) io.out(`API token for ${t.userName} (${t.name}): ${t.value}`);
  return { emulator };
}

/** Entry point of the `redivis-emulator` bin: runs until SIGINT/SIGTERM, then stops cleanly. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const result = await runCli(argv);
  if ('exitCode' in result) {
    process.exitCode = result.exitCode;
    return;
  }
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    result.emulator.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        processIO.err(`Error while stopping: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntry()) await main();
