import type { Palette } from '../output/colors.js';
import type { OutputStream } from './io.js';

// Query parameters that may carry credentials (OAuth flows); their values never reach the trail.
const SECRET_PARAMS = /^(access_token|token|code|code_verifier|client_secret|refresh_token|device_code)$/i;

/** A URL with credential-bearing query values replaced by `[REDACTED]`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.test(key)) parsed.searchParams.set(key, '[REDACTED]');
  }
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/**
 * A `fetch` that writes the request trail to stderr for `--verbose`: method, URL (credentials redacted), status
 * and time. Headers are never printed, so the Authorization token cannot leak.
 */
export function verboseFetch(stderr: OutputStream, palette: Palette): typeof fetch {
  return async (input, init) => {
    // Read method and URL without building a Request, which would take hold of a streamed body.
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const started = performance.now();
    const label = `${method.toUpperCase()} ${redactUrl(url)}`;
    stderr.write(`${palette.dim('→')} ${label}\n`);
    try {
      const response = await fetch(input, init);
      const ms = Math.round(performance.now() - started);
      stderr.write(`${palette.dim('←')} ${response.status} ${label} ${palette.dim(`(${ms} ms)`)}\n`);
      return response;
    } catch (error) {
      stderr.write(`${palette.red('✗')} ${label}: ${(error as Error).message}\n`);
      throw error;
    }
  };
}
