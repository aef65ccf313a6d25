import { ERROR_BRAND } from './brand.js';

/** What replaces a secret in any text an error carries. */
export const REDACTED = '[REDACTED]';

// Generic patterns catch tokens we were not told about (for example a server echoing a header back).
const GENERIC_PATTERNS: RegExp[] = [
  /(\b(?:access_token|refresh_token|code_verifier|device_code|client_secret|api_?token)=)[^&\s"']+/gi,
  /("(?:access_token|refresh_token|code_verifier|device_code|client_secret|apiToken|api_token)"\s*:\s*")[^"]*/gi,
];

/**
 * Replaces every occurrence of the given secrets, bearer credentials and token-like query or JSON fields in
 * `text` with `[REDACTED]`.
 *
 * @param text - Any text that may end up in an error message, URL or log line.
 * @param secrets - Exact values to remove (tokens the client knows it sent). Empty strings are ignored.
 * @returns The text with secrets removed.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(BEARER, (match, prefix: string, value: string) =>
    looksLikeCredential(value) ? `${prefix}${REDACTED}` : match,
  );
  for (const pattern of GENERIC_PATTERNS) out = out.replace(pattern, `$1${REDACTED}`);
  return out;
}

// `Bearer` followed by an RFC 6750 b64token (trailing sentence punctuation left out of the value).
const BEARER = /(\bBearer\s+)([A-Za-z0-9\-._~+/]*[A-Za-z0-9\-_~+/]=*)/gi;

/**
 * Whether the word after `Bearer` is a credential rather than prose: a server message quoting the header format
 * (`must be "Bearer <token>"`, `a Bearer token is required`) keeps its words, while anything with a digit or
 * token punctuation, or long enough to be a key, is redacted.
 */
function looksLikeCredential(value: string): boolean {
  return value.length >= 20 || /[^A-Za-z]/.test(value);
}

/**
 * Returns a copy of `value` (an error cause, a parsed body) that is safe to keep on an error: Error objects are
 * rebuilt from their name, message, stack, string `code` and cause only, so no request, header or option object
 * they carried survives; strings are redacted; plain JSON data is redacted through its serialisation.
 *
 * @param value - The value to sanitise.
 * @param secrets - Exact values to remove.
 * @param depth - Remaining nesting depth for cause chains.
 * @returns A token-free value (or `undefined` when the value cannot be made safe).
 */
export function sanitize(value: unknown, secrets: readonly (string | undefined)[] = [], depth = 4): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string') return redact(value, secrets);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Error || isErrorLike(value)) {
    // A RedivisError was already sanitised when it was built; keep it (and its class) as is.
    if ((value as Record<symbol, unknown>)[ERROR_BRAND] === true) return value;
    const err = value as Error & { code?: unknown };
    const copy = new Error(redact(String(err.message ?? ''), secrets));
    copy.name = String(err.name ?? 'Error');
    copy.stack = typeof err.stack === 'string' ? redact(err.stack, secrets) : undefined;
    if (typeof err.code === 'string' || typeof err.code === 'number') {
      Object.defineProperty(copy, 'code', { value: err.code, enumerable: true });
    }
    if (depth > 0 && err.cause !== undefined) {
      Object.defineProperty(copy, 'cause', {
        value: sanitize(err.cause, secrets, depth - 1),
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  try {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : JSON.parse(redact(json, secrets));
  } catch {
    return undefined;
  }
}

function isErrorLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'message' in value && 'name' in value;
}
