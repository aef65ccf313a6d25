import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createTransport } from '@redivis-ts/core';

/** The daily_observations table of the demo seed. */
export const OBS = `/tables/${encodeURIComponent('demo.weather_sample:v1_0.daily_observations')}`;
/** A demo token with data access to weather_sample. */
export const TOKEN = 'rdv_demo_alice_token';

/** A core client for the emulator at `url`. */
export function client(url) {
  return createTransport({ baseUrl: url, apiToken: TOKEN });
}

/** Starts a bench script (`./name.mjs args…`) in a child process and reads the JSON line it prints when ready. */
export async function startChild(name, args) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL(`./${name}.mjs`, import.meta.url)), ...args.map(String)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += chunk;
    if (buffered.includes('\n')) break;
  }
  const ready = JSON.parse(buffered.split('\n')[0]);
  return {
    ...ready,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Runs `fn` `times` times and returns the median duration in ms along with the last result. */
export async function median(times, fn) {
  const durations = [];
  let result;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    result = await fn();
    durations.push(performance.now() - start);
  }
  durations.sort((a, b) => a - b);
  return { ms: durations[Math.floor(durations.length / 2)], result };
}

/** Formats a count per second. */
export const perSecond = (count, ms) => Math.round((count / ms) * 1000);
